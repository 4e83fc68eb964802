package dev.skiff.engine;

import java.util.concurrent.CompletableFuture;

/** A started worker as a backend manages it: a process or a container that can be killed and awaited. */
public interface WorkerProcess {
    /** Returns the operating system process id, or -1 when the backend has none. */
    long pid();

    /** Completes with the exit status when the worker has exited. */
    CompletableFuture<Integer> onExit();

    /** Kills the worker at once (SIGKILL or the backend's equivalent); returns at once. */
    void kill();

    boolean isAlive();

    /**
     * Returns the endpoints the engine connects to, for a worker that listens instead of connecting
     * (a container that may not reach the engine's address). Returns null for a worker that connects.
     */
    default CompletableFuture<WorkerAddress> listening() {
        return null;
    }

    /** Returns the backend's account of the worker's exit, such as an out-of-memory kill, or null. */
    default String exitDetail() {
        return null;
    }
}
