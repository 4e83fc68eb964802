package dev.skiff.engine;

/**
 * The endpoints of a worker that listens, as the engine reaches them.
 *
 * @param sendEndpoint where the worker sends from, such as {@code tcp://127.0.0.1:32768}
 * @param receiveEndpoint where the worker receives on
 * @param encrypted true when the worker was given the engine's CURVE key
 *     ({@link WorkerLaunch#engineKey()}), false when it was given the engine's password
 *     ({@link WorkerLaunch#enginePassword()})
 */
public record WorkerAddress(String sendEndpoint, String receiveEndpoint, boolean encrypted) {
}
