package dev.skiff.kernel.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

class SocketOwnerTest {
    /** The owner's poll timeout is 500 ms, so a wait this long means a wake-up was lost. */
    private static final long LOST_WAKEUP_MILLIS = 400;

    @Test
    void submitBurstsNeverWaitForPollTimeout() throws Exception {
        ZMQ.Context context = ZMQ.context(1);
        SocketOwner owner = new SocketOwner("test-pub", context, SocketType.PUB, "tcp://127.0.0.1:*",
                socket -> { }, null, () -> { });
        ExecutorService submitters = Executors.newFixedThreadPool(3);
        try {
            owner.start().get(10, TimeUnit.SECONDS);
            List<Future<Long>> slowest = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                slowest.add(submitters.submit(() -> slowestSubmit(owner, 2000)));
            }
            for (Future<Long> result : slowest) {
                assertThat(result.get(120, TimeUnit.SECONDS)).isLessThan(LOST_WAKEUP_MILLIS);
            }
        } finally {
            submitters.shutdownNow();
            owner.stop();
            assertThat(owner.join(Duration.ofSeconds(10))).isTrue();
            context.close();
        }
    }

    /**
     * Submits {@code count} pairs of actions, the second a few microseconds after the first, as a
     * request's IOPub messages come, and returns the longest wait for a pair to run, in ms.
     */
    private static long slowestSubmit(SocketOwner owner, int count) throws Exception {
        long slowest = 0;
        for (int i = 0; i < count; i++) {
            CompletableFuture<Void> ran = new CompletableFuture<>();
            long started = System.nanoTime();
            assertThat(owner.submit(socket -> { })).isTrue();
            long gap = ThreadLocalRandom.current().nextLong(50_000);
            while (System.nanoTime() - started < gap) {
                Thread.onSpinWait();
            }
            assertThat(owner.submit(socket -> ran.complete(null))).isTrue();
            ran.get(10, TimeUnit.SECONDS);
            slowest = Math.max(slowest, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
        return slowest;
    }
}
