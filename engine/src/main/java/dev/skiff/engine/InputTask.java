package dev.skiff.engine;

import dev.skiff.OutputSink;
import java.util.concurrent.CompletableFuture;

/**
 * One input of a pool: its encoded arguments and, once it ends, its {@link Outcome}. The engine
 * thread owns the scheduling fields; any thread may read {@link #outcome()} and complete it with a
 * cancellation.
 */
public final class InputTask {
    final long id;
    final PoolSpec spec;
    final String method;
    final byte[] payload;
    final OutputSink sink;
    final String label;
    final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    int attempts;
    WorkerHandle worker;
    /** Set by the engine under its lock when it ends the task, before the future completes. */
    boolean finished;
    /** Output chunks of this input queued for its sink and not yet written. */
    final java.util.concurrent.atomic.AtomicInteger pendingOutput = new java.util.concurrent.atomic.AtomicInteger();
    /** Bytes of this input's output dropped because its sink fell too far behind; guarded by the engine lock. */
    long droppedOutputBytes;

    InputTask(long id, PoolSpec spec, String method, byte[] payload, OutputSink sink, String label) {
        this.id = id;
        this.spec = spec;
        this.method = method;
        this.payload = payload;
        this.sink = sink;
        this.label = label != null ? label : "in-" + id;
    }

    /** Returns the future completed when the input ends, with its final outcome after all retries. */
    public CompletableFuture<Outcome> outcome() {
        return outcome;
    }

    /** Returns the tag used in output and logs: the call id, or {@code in-N}. */
    public String label() {
        return label;
    }

    public PoolSpec spec() {
        return spec;
    }

    /** Returns the method name for a class method, or null for a function. */
    public String method() {
        return method;
    }

    boolean isDone() {
        return finished || outcome.isDone();
    }
}
