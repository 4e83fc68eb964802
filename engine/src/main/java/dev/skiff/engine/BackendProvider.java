package dev.skiff.engine;

/**
 * Makes a backend known by name, such as {@code docker}, found with {@link java.util.ServiceLoader}
 * so that the engine needs no backend's libraries on its classpath.
 */
public interface BackendProvider {
    /** The name that {@code FunctionOptions.backend} and {@code SKIFF_BACKEND} use. */
    String name();

    /** Creates the backend for the engine {@code engineId}; called once per engine, on first use. */
    Backend create(String engineId);
}
