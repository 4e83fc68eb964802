package dev.skiff.bench;

import dev.skiff.App;
import dev.skiff.Engine;
import dev.skiff.Function;
import dev.skiff.FunctionCall;
import dev.skiff.FunctionOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures the caller's heap per spawned, unfinished call. The function may use one worker and
 * sleeps for 10 minutes on any input but 0. A call with 0 starts the worker, then a sleeping call
 * occupies it. Every later call stays unfinished: most wait in the engine's queue, and up to 256
 * are sent ahead to the worker because the call with 0 finished quickly.
 *
 * <p>The used heap is read after full collections before and after spawning. The list that keeps
 * the {@link FunctionCall} handles is allocated at full size before the first reading, so the
 * difference is what the handles and the engine keep per call. Closing the engine then fails the
 * queued calls and stops the worker.
 *
 * <p>Arguments: {@code [calls]}, default 100000.
 */
public final class SpawnHeap {
    private static final long SLEEP_MILLIS = 600_000;

    private SpawnHeap() {
    }

    public static void main(String[] args) throws InterruptedException {
        int callCount = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        List<FunctionCall<Integer>> calls = new ArrayList<>(callCount + 1);
        Engine engine = Engine.embedded();
        try {
            FunctionOptions oneWorker = FunctionOptions.defaults().maxContainers(1);
            Function<Integer> sleeper = App.named("bench", engine).function("sleeper", oneWorker, (Integer x) -> {
                if (x != 0) {
                    Thread.sleep(SLEEP_MILLIS);
                }
                return x;
            });

            sleeper.remote(0);
            calls.add(sleeper.spawn(-1));
            BenchSupport.awaitSchedulerIdle(10);
            long before = BenchSupport.usedHeapAfterGc();

            long spawnStart = System.nanoTime();
            for (int i = 1; i <= callCount; i++) {
                calls.add(sleeper.spawn(i));
            }
            long spawnNanos = System.nanoTime() - spawnStart;
            System.out.printf("spawned %,d calls in %.0f ms%n", callCount, BenchSupport.millis(spawnNanos));

            long settleStart = System.nanoTime();
            boolean idle = BenchSupport.awaitSchedulerIdle(60);
            System.out.printf("scheduler %s %.0f ms after the last spawn%n", idle ? "idle" : "still busy",
                    BenchSupport.millis(System.nanoTime() - settleStart));
            long after = BenchSupport.usedHeapAfterGc();

            long finished = calls.stream().filter(FunctionCall::isFinished).count();
            if (finished > 0) {
                throw new IllegalStateException(finished + " of " + calls.size()
                        + " calls finished before the heap reading, which needs unfinished calls");
            }
            long delta = after - before;
            System.out.printf("used heap: %,d bytes before, %,d bytes after; %,d bytes for %,d calls%n", before,
                    after, delta, callCount);
            System.out.printf("caller heap per unfinished call: %,.0f bytes%n", (double) delta / callCount);
        } finally {
            long closeStart = System.nanoTime();
            engine.close();
            System.out.printf("engine closed in %.0f ms%n", BenchSupport.millis(System.nanoTime() - closeStart));
        }
        BenchSupport.requireNoChildProcesses();
        long finishedAfterClose = calls.stream().filter(FunctionCall::isFinished).count();
        System.out.printf("calls finished after close: %,d of %,d%n", finishedAfterClose, calls.size());
    }
}
