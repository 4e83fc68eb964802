package dev.skiff.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Helpers shared by the benchmark main classes: statistics, heap readings and process checks. */
final class BenchSupport {
    private BenchSupport() {
    }

    /** Returns the median of {@code values}, the mean of the two middle values for an even count. */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    static double max(double[] values) {
        return Arrays.stream(values).max().orElseThrow();
    }

    static double min(double[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }

    static double millis(long nanos) {
        return nanos / 1e6;
    }

    /** Runs full collections until the used heap stops shrinking, then returns it in bytes. */
    static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long previous = Long.MAX_VALUE;
        for (int round = 0; round < 10; round++) {
            System.gc();
            Thread.sleep(100);
            long used = memory.getHeapMemoryUsage().getUsed();
            if (used >= previous - 64 * 1024) {
                return Math.min(used, previous);
            }
            previous = used;
        }
        return previous;
    }

    /**
     * Waits until the engine's scheduler threads (named {@code skiff-engine-en-...}) use less than
     * 1 ms of CPU time in 200 ms, so that the work queued by earlier calls is done. Gives up
     * after {@code timeoutSeconds} and returns false.
     */
    static boolean awaitSchedulerIdle(int timeoutSeconds) throws InterruptedException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        long previous = schedulerCpuNanos(threads);
        while (System.nanoTime() < deadline) {
            Thread.sleep(200);
            long current = schedulerCpuNanos(threads);
            if (current - previous < TimeUnit.MILLISECONDS.toNanos(1)) {
                return true;
            }
            previous = current;
        }
        return false;
    }

    private static long schedulerCpuNanos(ThreadMXBean threads) {
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("skiff-engine-en")) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    /**
     * Checks that no child process of this JVM is still alive, as after every closed engine.
     * Kills any that are left and exits with status 1, so that a leaked worker fails the run.
     */
    static void requireNoChildProcesses() throws InterruptedException {
        List<ProcessHandle> alive = List.of();
        for (int attempt = 0; attempt < 20; attempt++) {
            alive = ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList();
            if (alive.isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        System.err.println("Worker processes still alive after the engine closed: "
                + alive.stream().map(ProcessHandle::pid).toList() + "; killing them.");
        alive.forEach(ProcessHandle::destroyForcibly);
        System.exit(1);
    }
}
