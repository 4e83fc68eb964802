package dev.skiff.engine;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/** The engine's view of one worker process. Owned by the engine thread, except where noted. */
final class WorkerHandle {
    enum State { STARTING, CONNECTED, READY, STOPPING, EXITED }

    final String id;
    /** The pool the worker serves; a spare worker moves to the pool that adopts it. */
    Pool pool;
    final byte[] identity;
    final Map<Long, InputTask> assigned = new LinkedHashMap<>();
    /** The last lines the worker process wrote outside Skiff's forwarding; guarded by itself. */
    final Deque<String> outputTail = new ArrayDeque<>();
    WorkerProcess process;
    State state = State.STARTING;
    final long startedNanos = System.nanoTime();
    long lastActiveNanos = System.nanoTime();
    long lastMessageNanos = System.nanoTime();
    long pid = -1;
    /** The reason the engine ended this worker itself, or null when it exited on its own. */
    String stopReason;
    /** True once the worker reported READY; a worker that exits before that failed to start. */
    boolean becameReady;
    /** True for a worker that listens and that the engine connects to; see {@link WorkerProcess#listening()}. */
    boolean listens;
    /** The endpoints the engine connected to for a listening worker, once known. */
    WorkerAddress address;
    /** The error that kept the backend from starting the worker, or null. */
    Throwable startError;
    /** True when the engine ended the worker because it failed to start (load error or start timeout). */
    boolean failedToStart;

    /** The secret ZeroMQ identity the worker presents; see {@link WorkerLaunch#identity()}. */
    final String identityText;

    WorkerHandle(String id, Pool pool) {
        this.id = id;
        this.pool = pool;
        this.identityText = id + "." + Ids.newId("key");
        this.identity = identityText.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    int concurrency() {
        return pool.spec.options().concurrentInputs();
    }

    boolean alive() {
        return state != State.EXITED;
    }

    void addOutputLine(String line) {
        synchronized (outputTail) {
            outputTail.addLast(line);
            while (outputTail.size() > 20) {
                outputTail.removeFirst();
            }
        }
    }

    String outputTailText() {
        synchronized (outputTail) {
            return String.join("\n", outputTail);
        }
    }

    @Override
    public String toString() {
        // A worker that listens runs in a container, where its pid means nothing on this machine.
        return id + (pid > 0 && !listens ? " (pid " + pid + ")" : "");
    }
}
