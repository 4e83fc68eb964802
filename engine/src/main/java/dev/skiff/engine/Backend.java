package dev.skiff.engine;

import java.io.IOException;
import java.util.function.Consumer;

/** Starts workers. Implementations must be thread-safe. */
public interface Backend extends AutoCloseable {
    /**
     * Starts one worker as {@code launch} describes. A backend whose start takes long (a container)
     * returns at once and reports a failure through {@link WorkerProcess#onExit()}.
     *
     * @param outputLine receives each line the worker writes outside Skiff's output forwarding
     * @throws IOException when the worker cannot be started
     */
    WorkerProcess start(WorkerLaunch launch, Consumer<String> outputLine) throws IOException;

    /** Releases what the backend holds once the engine's workers have stopped: removes leftovers, closes clients. */
    @Override
    default void close() {
    }
}
