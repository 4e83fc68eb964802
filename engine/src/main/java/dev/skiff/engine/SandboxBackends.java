package dev.skiff.engine;

import dev.skiff.SkiffException;
import java.util.ServiceLoader;

/** The JVM's sandbox backend, the {@code docker} one, created on first use. */
public final class SandboxBackends {
    private static final String NAME = "docker";
    private static SandboxBackend backend;

    private SandboxBackends() {
    }

    /**
     * Returns the sandbox backend, creating it on the first call.
     *
     * @throws SkiffException when no provider of that name is on the classpath
     */
    public static synchronized SandboxBackend get() {
        if (backend != null) {
            return backend;
        }
        for (SandboxBackendProvider provider
                : ServiceLoader.load(SandboxBackendProvider.class, SandboxBackends.class.getClassLoader())) {
            if (provider.name().equals(NAME)) {
                backend = provider.create();
                return backend;
            }
        }
        throw new SkiffException("Sandboxes need the " + NAME + " backend, which is not available: put the "
                + "dev.skiff:skiff-docker jar on the classpath.");
    }
}
