package dev.skiff.engine;

import java.io.IOException;
import java.util.function.Consumer;

/** Starts workers. Implementations must be thread-safe. */
public interface Backend {
    /**
     * Starts one worker as {@code launch} describes.
     *
     * @param outputLine receives each line the worker writes outside Skiff's output forwarding
     * @throws IOException when the worker cannot be started
     */
    WorkerProcess start(WorkerLaunch launch, Consumer<String> outputLine) throws IOException;
}
