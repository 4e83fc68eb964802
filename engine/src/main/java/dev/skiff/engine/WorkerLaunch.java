package dev.skiff.engine;

/**
 * The description of one worker for a backend to start.
 *
 * @param workerId the worker's public id, such as {@code wk-…}, for logs and process listings
 * @param identity the secret ZeroMQ identity the worker presents; the engine drops messages from
 *     any other identity, so backends must hand it over privately (in the environment variable
 *     {@link #IDENTITY_VARIABLE}, never on the command line, which other users can read)
 * @param inboundEndpoint where the worker sends to the engine
 * @param outboundEndpoint where the worker receives from the engine
 * @param engineKey the engine's public CURVE key (Z85) for workers that listen instead of connecting
 *     (see {@link WorkerProcess#listening()}) across a network; pass it in
 *     {@code WorkerMain.ENGINE_KEY_VARIABLE}
 * @param enginePassword the engine's password for listening workers on the engine's own machine,
 *     a secret like {@code identity}; pass it in {@code WorkerMain.ENGINE_PASSWORD_VARIABLE}
 */
public record WorkerLaunch(PoolSpec spec, String workerId, String identity, String inboundEndpoint,
        String outboundEndpoint, String engineKey, String enginePassword) {
    /** Environment variable that carries {@link #identity()} to the worker. */
    public static final String IDENTITY_VARIABLE = "SKIFF_WORKER_IDENTITY";

    @Override
    public String toString() {
        return "WorkerLaunch[" + workerId + " for " + spec.name() + "]";
    }
}
