package dev.skiff.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import dev.skiff.Engine;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Looks up the worker containers of one engine on the Docker daemon through their labels, so that
 * tests can inspect them. Touches only containers labelled with that engine's id.
 */
final class EngineContainers implements AutoCloseable {
    private final DockerConnection docker = DockerConnection.fromEnvironment();
    private final Engine engine;

    EngineContainers(Engine engine) {
        this.engine = engine;
    }

    DockerClient client() {
        return docker.client();
    }

    /** Returns every container of the engine, running or stopped. */
    List<Container> all() {
        return client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerBackend.LABEL_ENGINE, engine.id())).exec();
    }

    /** Returns every container of the engine that runs workers of {@code function}, running or stopped. */
    List<Container> ofFunction(String function) {
        return client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerBackend.LABEL_ENGINE, engine.id(), DockerBackend.LABEL_FUNCTION,
                        function)).exec();
    }

    /** Returns the ids of the engine's containers cut to 12 digits, the form a container's host name takes. */
    List<String> shortIds() {
        return all().stream().map(container -> DockerBackend.shortId(container.getId())).toList();
    }

    /**
     * Inspects the engine's container whose host name is {@code hostName}.
     *
     * @throws AssertionError when the engine has no such container
     */
    InspectContainerResponse inspectByHostName(String hostName) {
        for (Container container : all()) {
            if (DockerBackend.shortId(container.getId()).equals(hostName)) {
                return client().inspectContainerCmd(container.getId()).exec();
            }
        }
        throw new AssertionError("Engine " + engine.id() + " has no container with host name " + hostName
                + "; its containers are " + shortIds());
    }

    /** Waits until the container is removed from the daemon, failing after {@code limit}. */
    void awaitRemoved(String containerId, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                client().inspectContainerCmd(containerId).exec();
            } catch (NotFoundException e) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("Container " + DockerBackend.shortId(containerId) + " of engine " + engine.id()
                + " still exists " + limit.toMillis() + " ms later");
    }

    @Override
    public void close() {
        docker.close();
    }
}
