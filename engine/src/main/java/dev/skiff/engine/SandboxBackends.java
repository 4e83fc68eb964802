package dev.skiff.engine;

import dev.skiff.InvalidException;
import dev.skiff.NotFoundException;
import dev.skiff.SandboxOptions;
import dev.skiff.SkiffException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The JVM's sandbox backends, each created on first use: {@code local}, and {@code docker} from its
 * {@link SandboxBackendProvider}. The default is the one {@code SKIFF_BACKEND} names, else
 * {@code docker} when its provider is on the classpath, else {@code local}.
 */
public final class SandboxBackends {
    private static final Map<String, SandboxBackend> CREATED = new LinkedHashMap<>();

    private SandboxBackends() {
    }

    /** Returns the backend that {@code options} choose, or the default one. */
    public static SandboxBackend forOptions(SandboxOptions options) {
        return get(options.backend() != null ? options.backend() : defaultName());
    }

    /**
     * Returns the backend named {@code name}, creating it on the first call.
     *
     * @throws SkiffException when the docker backend's jar is not on the classpath
     */
    public static synchronized SandboxBackend get(String name) {
        SandboxBackend existing = CREATED.get(name);
        if (existing != null) {
            return existing;
        }
        SandboxBackend created;
        if (name.equals("local")) {
            created = new LocalSandboxes();
        } else if (name.equals("docker")) {
            SandboxBackendProvider provider = provider(name);
            if (provider == null) {
                throw new SkiffException("Sandboxes on docker need the docker backend, which is not available: put "
                        + "the dev.skiff:skiff-docker jar on the classpath, or choose backend(\"local\").");
            }
            created = provider.create();
        } else {
            throw new InvalidException("Unknown sandbox backend '" + name + "': use local or docker.");
        }
        CREATED.put(name, created);
        return created;
    }

    /** Returns the default backend's name: {@code SKIFF_BACKEND}, else docker when available, else local. */
    public static String defaultName() {
        String fromEnvironment = System.getenv("SKIFF_BACKEND");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            String name = fromEnvironment.trim();
            if (!name.equals("local") && !name.equals("docker")) {
                throw new InvalidException("Unknown backend '" + name + "' in SKIFF_BACKEND: use local or docker.");
            }
            return name;
        }
        return provider("docker") != null ? "docker" : "local";
    }

    /**
     * Returns the backends to search when looking a sandbox or a snapshot up: the local one, which
     * needs no daemon, then the default one when that is another.
     */
    public static List<SandboxBackend> searchOrder() {
        List<SandboxBackend> order = new ArrayList<>();
        order.add(get("local"));
        String defaultName = defaultName();
        if (!defaultName.equals("local")) {
            order.add(get(defaultName));
        }
        return order;
    }

    /**
     * Returns the sandbox with the id {@code sandboxId} from the first backend in {@link #searchOrder()} that has it.
     *
     * @throws NotFoundException when none has it
     */
    public static SandboxBackend.Instance find(String sandboxId) {
        NotFoundException last = null;
        for (SandboxBackend backend : searchOrder()) {
            try {
                return backend.find(sandboxId);
            } catch (NotFoundException e) {
                last = e;
            }
        }
        throw last;
    }

    /**
     * Returns the sandbox named {@code name} in {@code app} from the first backend that has it.
     *
     * @throws NotFoundException when none has it
     */
    public static SandboxBackend.Instance findByName(String app, String name) {
        NotFoundException last = null;
        for (SandboxBackend backend : searchOrder()) {
            try {
                return backend.findByName(app, name);
            } catch (NotFoundException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Returns the sandboxes of every backend in {@link #searchOrder()} whose tags contain {@code tags}. */
    public static List<SandboxBackend.Instance> list(Map<String, String> tags) {
        List<SandboxBackend.Instance> all = new ArrayList<>();
        for (SandboxBackend backend : searchOrder()) {
            all.addAll(backend.list(tags));
        }
        return all;
    }

    private static SandboxBackendProvider provider(String name) {
        for (SandboxBackendProvider provider
                : ServiceLoader.load(SandboxBackendProvider.class, SandboxBackends.class.getClassLoader())) {
            if (provider.name().equals(name)) {
                return provider;
            }
        }
        return null;
    }
}
