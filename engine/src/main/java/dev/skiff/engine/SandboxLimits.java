package dev.skiff.engine;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A sandbox's timeout and idle timeout, enforced by the JVM that created it. A sandbox is idle while
 * no command runs and no input is sent; {@link #execStarted}, {@link #execEnded} and {@link #touch}
 * report activity. Thread-safe.
 */
public final class SandboxLimits {
    private final AtomicInteger runningExecs = new AtomicInteger();
    private volatile long lastActivityNanos = System.nanoTime();
    private final ScheduledFuture<?> timeoutTask;
    private final ScheduledFuture<?> idleTask;

    /**
     * Schedules {@code onLimit} with a reason, such as "ran past its timeout of 300000 ms", when the
     * sandbox reaches {@code timeout}, or has been idle for {@code idleTimeout} when that is not null.
     */
    public SandboxLimits(ScheduledExecutorService timers, Duration timeout, Duration idleTimeout,
            Consumer<String> onLimit) {
        timeoutTask = timers.schedule(() -> onLimit.accept("ran past its timeout of " + timeout.toMillis() + " ms"),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (idleTimeout == null) {
            idleTask = null;
            return;
        }
        long period = Math.max(100, Math.min(1000, idleTimeout.toMillis() / 4));
        idleTask = timers.scheduleWithFixedDelay(() -> {
            long idle = System.nanoTime() - lastActivityNanos;
            if (runningExecs.get() == 0 && idle >= idleTimeout.toNanos()) {
                onLimit.accept("ran past its idle timeout of " + idleTimeout.toMillis() + " ms");
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    /** Records activity, such as input sent to a command. */
    public void touch() {
        lastActivityNanos = System.nanoTime();
    }

    public void execStarted() {
        runningExecs.incrementAndGet();
        touch();
    }

    public void execEnded() {
        runningExecs.decrementAndGet();
        touch();
    }

    /** Stops both timers, once the sandbox has ended. */
    public void cancel() {
        timeoutTask.cancel(false);
        if (idleTask != null) {
            idleTask.cancel(false);
        }
    }
}
