package dev.skiff.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** The queue and the workers of one {@link PoolSpec}. Owned by the engine thread. */
final class Pool {
    /** Inputs sent ahead to a worker beyond its concurrency when inputs finish quickly. */
    static final int PREFETCH = 256;
    /** Inputs whose average run time is below this many nanoseconds are batched ahead. */
    static final long FAST_INPUT_NANOS = 2_000_000;

    final PoolSpec spec;
    final Deque<InputTask> queue = new ArrayDeque<>();
    final List<WorkerHandle> workers = new ArrayList<>();
    double averageRunNanos = Double.NaN;
    /** Workers in a row that exited or failed before becoming ready; reset when one becomes ready. */
    int consecutiveStartFailures;
    /** True for the holding pool of a spare worker, which serves no inputs; see {@link Scheduler#startSpare}. */
    boolean spare;

    /** Start failures in a row after which workers start only for queued inputs, not to keep pools warm. */
    static final int START_FAILURES_BEFORE_BACKOFF = 3;

    Pool(PoolSpec spec) {
        this.spec = spec;
    }

    /** Returns how many inputs a worker may hold at once: its concurrency, plus a prefetch window for quick inputs. */
    int capacity() {
        int concurrency = spec.options().concurrentInputs();
        boolean fast = !Double.isNaN(averageRunNanos) && averageRunNanos < FAST_INPUT_NANOS;
        return fast ? concurrency + PREFETCH : concurrency;
    }

    void recordRunTime(long nanos) {
        averageRunNanos = Double.isNaN(averageRunNanos) ? nanos : averageRunNanos * 0.9 + nanos * 0.1;
    }

    int liveWorkers() {
        int count = 0;
        for (WorkerHandle worker : workers) {
            if (worker.state != WorkerHandle.State.STOPPING && worker.state != WorkerHandle.State.EXITED) {
                count++;
            }
        }
        return count;
    }
}
