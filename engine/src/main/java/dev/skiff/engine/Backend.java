package dev.skiff.engine;

import java.io.IOException;
import java.util.function.Consumer;

/** Starts workers. Implementations must be thread-safe. */
public interface Backend {
    /**
     * Starts one worker that sends to the engine at {@code inboundEndpoint} and receives from
     * {@code outboundEndpoint}, identifying itself as {@code workerId}.
     *
     * @param outputLine receives each line the worker writes outside Skiff's output forwarding
     * @throws IOException when the worker cannot be started
     */
    WorkerProcess start(PoolSpec spec, String workerId, String inboundEndpoint, String outboundEndpoint,
            Consumer<String> outputLine) throws IOException;
}
