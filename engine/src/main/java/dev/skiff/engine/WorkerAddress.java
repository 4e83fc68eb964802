package dev.skiff.engine;

/**
 * The endpoints of a worker that listens, as the engine reaches them.
 *
 * @param sendEndpoint where the worker sends from, such as {@code tcp://127.0.0.1:32768}
 * @param receiveEndpoint where the worker receives on
 */
public record WorkerAddress(String sendEndpoint, String receiveEndpoint) {
}
