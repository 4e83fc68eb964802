package dev.skiff.engine;

/**
 * Makes a sandbox backend known by name, such as {@code docker}, found with
 * {@link java.util.ServiceLoader} so that the engine needs no backend's libraries on its classpath.
 */
public interface SandboxBackendProvider {
    /** The backend's name. */
    String name();

    /** Creates the backend. {@link SandboxBackends} calls this once per JVM, on first use. */
    SandboxBackend create();
}
