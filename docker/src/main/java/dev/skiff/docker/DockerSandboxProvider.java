package dev.skiff.docker;

import dev.skiff.engine.SandboxBackend;
import dev.skiff.engine.SandboxBackendProvider;

/** Makes the Docker sandbox backend known to the engine as {@code docker}. */
public final class DockerSandboxProvider implements SandboxBackendProvider {
    @Override
    public String name() {
        return "docker";
    }

    @Override
    public SandboxBackend create() {
        return new DockerSandboxes(DockerConnection.fromEnvironment());
    }
}
