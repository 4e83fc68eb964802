package dev.skiff.docker;

import dev.skiff.engine.Backend;
import dev.skiff.engine.BackendProvider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes the Docker backend known to the engine as {@code docker}. Engines of one process that use
 * the same daemon share one client.
 */
public final class DockerBackendProvider implements BackendProvider {
    private static final Map<String, DockerConnection> CONNECTIONS = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "docker";
    }

    @Override
    public Backend create(String engineId) {
        String settings = DockerConnection.settingsKey();
        DockerConnection connection;
        synchronized (CONNECTIONS) {
            connection = CONNECTIONS.get(settings);
            if (connection == null) {
                connection = DockerConnection.fromEnvironment();
                CONNECTIONS.put(settings, connection);
            }
        }
        return new DockerBackend(engineId, connection);
    }
}
