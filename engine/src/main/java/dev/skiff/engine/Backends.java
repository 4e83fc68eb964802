package dev.skiff.engine;

import dev.skiff.FunctionOptions;
import dev.skiff.SkiffException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's backends: the local one, and others by name ({@code docker}) from their
 * {@link BackendProvider}, created on first use. Each worker goes to the backend its options name.
 * Thread-safe.
 */
public final class Backends implements Backend {
    private static final Logger LOG = LoggerFactory.getLogger(Backends.class);

    private final String engineId;
    private final LocalBackend local = new LocalBackend();
    private final Map<String, Backend> others = new LinkedHashMap<>();

    public Backends(String engineId) {
        this.engineId = engineId;
    }

    @Override
    public WorkerProcess start(WorkerLaunch launch, Consumer<String> outputLine) throws IOException {
        FunctionOptions options = launch.spec().options();
        String name = options.effectiveBackend();
        if (name.equals("local")) {
            if (!options.volumes().isEmpty() || !options.mounts().isEmpty()) {
                throw new SkiffException(launch.spec().name() + " mounts volumes or folders, which only the docker "
                        + "backend can do; choose it with backend: 'docker' or SKIFF_BACKEND=docker.");
            }
            return local.start(launch, outputLine);
        }
        return backend(name).start(launch, outputLine);
    }

    private synchronized Backend backend(String name) {
        Backend existing = others.get(name);
        if (existing != null) {
            return existing;
        }
        for (BackendProvider provider : ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader())) {
            if (provider.name().equals(name)) {
                Backend created = provider.create(engineId);
                others.put(name, created);
                LOG.info("Engine {}: {} backend started", engineId, name);
                return created;
            }
        }
        throw new SkiffException("The " + name + " backend is not available: "
                + (name.equals("docker") ? "put the dev.skiff:skiff-docker jar on the classpath."
                        : "the backends are local and docker; check SKIFF_BACKEND."));
    }

    @Override
    public void close() {
        Map<String, Backend> created;
        synchronized (this) {
            created = Map.copyOf(others);
            others.clear();
        }
        created.forEach((name, backend) -> {
            try {
                backend.close();
            } catch (RuntimeException e) {
                LOG.warn("Engine {}: closing the {} backend failed", engineId, name, e);
            }
        });
    }
}
