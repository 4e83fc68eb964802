package dev.skiff.docker;

import dev.skiff.engine.Backend;
import dev.skiff.engine.BackendProvider;

/** Makes the Docker backend known to the engine as {@code docker}. */
public final class DockerBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "docker";
    }

    @Override
    public Backend create(String engineId) {
        return new DockerBackend(engineId, DockerConnection.fromEnvironment());
    }
}
