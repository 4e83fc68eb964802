package dev.skiff.engine;

import java.io.IOException;
import java.util.function.Consumer;

/** Starts workers. Implementations must be thread-safe. */
public interface Backend {
    /**
     * Starts one worker that connects to {@code endpoint} as {@code workerId}.
     *
     * @param outputLine receives each line the worker writes outside Skiff's output forwarding
     * @throws IOException when the worker cannot be started
     */
    WorkerProcess start(PoolSpec spec, String workerId, String endpoint, Consumer<String> outputLine) throws IOException;
}
