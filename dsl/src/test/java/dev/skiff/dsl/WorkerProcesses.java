package dev.skiff.dsl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Finds worker JVMs by a marker in their command line, as {@code pgrep -f} does, and waits for them to end. */
public final class WorkerProcesses {
    private static final String WORKER_MAIN = "dev.skiff.worker.WorkerMain";

    private WorkerProcesses() {
    }

    /** Returns the live worker processes whose command line contains {@code marker}. */
    public static List<ProcessHandle> find(String marker) {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).filter(p -> {
            String line = commandLine(p);
            return line.contains(WORKER_MAIN) && line.contains(marker);
        }).toList();
    }

    /**
     * Returns the whole command line: from {@code /proc} where there is one, because the JDK's
     * {@code ProcessHandle.Info.commandLine()} cuts long ones short, and a worker's classpath
     * comes before its main class.
     */
    private static String commandLine(ProcessHandle process) {
        Path cmdline = Path.of("/proc", Long.toString(process.pid()), "cmdline");
        try {
            return new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException | RuntimeException e) {
            return process.info().commandLine().orElse("");
        }
    }

    /**
     * Waits up to {@code timeout} for every worker with {@code marker} to end and returns those
     * still alive, which a test expects to be none.
     */
    public static List<ProcessHandle> remaining(String marker, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ProcessHandle worker : find(marker)) {
            long left = deadline - System.nanoTime();
            try {
                worker.onExit().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // Reported below as still alive.
            }
        }
        return find(marker);
    }

    /** Waits for each of {@code pids} to end, up to {@code timeout} in all, and returns those still alive. */
    public static List<Long> alive(List<Long> pids, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long pid : pids) {
            var handle = ProcessHandle.of(pid);
            if (handle.isEmpty()) {
                continue;
            }
            try {
                handle.get().onExit().get(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // Reported below as still alive.
            }
        }
        return pids.stream().filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).toList();
    }
}
