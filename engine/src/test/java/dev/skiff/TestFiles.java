package dev.skiff;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

/**
 * File helpers that worker bodies use to leave evidence for the test, which reads it back. The
 * Docker backend's tests use them too, through this module's test jar.
 */
public final class TestFiles {
    private TestFiles() {
    }

    /** Appends one line; safe to call from several worker processes because each line is one small write. */
    public static void appendLine(String file, String line) {
        try {
            Files.writeString(Path.of(file), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the file has at least {@code count} lines, failing after {@code limit}. */
    public static List<String> awaitLines(Path file, int count, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> lines = lines(file);
            if (lines.size() >= count) {
                return lines;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("Timed out after " + limit.toMillis() + " ms waiting for " + count + " lines in "
                + file + "; found " + lines(file));
    }

    /** Waits until a process has exited, failing after {@code limit}. */
    public static void awaitExit(long pid, Duration limit) throws Exception {
        var handle = ProcessHandle.of(pid);
        if (handle.isPresent()) {
            handle.get().onExit().get(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }
}
