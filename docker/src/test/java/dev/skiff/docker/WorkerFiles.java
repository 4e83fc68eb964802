package dev.skiff.docker;

import dev.skiff.TestFiles;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Helpers for function bodies that run in worker containers and leave evidence in a bind-mounted
 * folder, and for the test that reads the evidence back on this machine.
 */
final class WorkerFiles {
    /** Latches by name, one set per worker JVM, for inputs that must meet inside one container. */
    private static final Map<String, CountDownLatch> LATCHES = new ConcurrentHashMap<>();

    private WorkerFiles() {
    }

    /**
     * Returns the host name of the calling JVM. Docker sets a container's host name to the first
     * 12 hex digits of its id, so inside a worker this names the container.
     */
    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("Cannot read the host name of this container", e);
        }
    }

    /** Waits until {@code file} exists. Returns false when it does not appear within {@code limit}. */
    static boolean awaitFile(String file, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!Files.exists(Path.of(file))) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /**
     * Waits until {@code file} names {@code count} distinct hosts, one per line. Returns false when
     * that does not happen within {@code limit}.
     */
    static boolean awaitDistinctHosts(String file, int count, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (TestFiles.lines(Path.of(file)).stream().distinct().count() < count) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /**
     * Counts down the latch {@code name} of this JVM, created for {@code parties} callers, and waits
     * until all of them have arrived. Returns false when they do not arrive within {@code limit}.
     */
    static boolean meet(String name, int parties, Duration limit) throws InterruptedException {
        CountDownLatch latch = LATCHES.computeIfAbsent(name, n -> new CountDownLatch(parties));
        latch.countDown();
        return latch.await(limit.toMillis(), TimeUnit.MILLISECONDS);
    }
}
