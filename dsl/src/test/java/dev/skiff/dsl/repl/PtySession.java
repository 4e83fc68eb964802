package dev.skiff.dsl.repl;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * A program on a pseudo-terminal, through util-linux {@code script}: the test types into it and
 * waits, with a deadline, for text to appear on its screen output. Terminal control sequences are
 * removed before matching.
 */
final class PtySession implements AutoCloseable {
    private static final Pattern CONTROL = Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]|\u001B[=>()][0-9A-Za-z]?|\r");

    private final Process process;
    private final OutputStream input;
    private final StringBuilder screen = new StringBuilder();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int consumed;
    private boolean ended;

    PtySession(ProcessBuilder builder, List<String> command) throws IOException {
        String shellCommand = "stty cols 120 rows 40; exec " + String.join(" ", command.stream()
                .map(PtySession::quote).toList());
        builder.command("script", "-q", "-e", "-c", shellCommand, "/dev/null");
        builder.redirectErrorStream(true);
        process = builder.start();
        input = process.getOutputStream();
        Thread reader = new Thread(this::pump, "pty-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Types {@code text} as the user would, control characters included. */
    void type(String text) throws IOException {
        input.write(text.getBytes(StandardCharsets.UTF_8));
        input.flush();
    }

    /**
     * Waits until {@code expected} appears in the output after the previous match and returns the
     * output up to and including it.
     */
    String expect(String expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                String clean = CONTROL.matcher(screen).replaceAll("");
                int found = clean.indexOf(expected, consumed);
                if (found >= 0) {
                    String seen = clean.substring(consumed, found + expected.length());
                    consumed = found + expected.length();
                    return seen;
                }
                long left = deadline - System.nanoTime();
                if (ended || left <= 0) {
                    throw new AssertionError("'" + expected + "' did not appear within " + timeout
                            + (ended ? " before the program ended" : "") + "; the output since the last match was:\n"
                            + clean.substring(Math.min(consumed, clean.length())));
                }
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code timeout} for the program to exit and returns its exit status. */
    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the program did not exit within " + timeout);
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private void pump() {
        byte[] buffer = new byte[4096];
        try (InputStream output = process.getInputStream()) {
            int read;
            while ((read = output.read(buffer)) >= 0) {
                append(new String(buffer, 0, read, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            append("");
        }
        lock.lock();
        try {
            ended = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void append(String text) {
        lock.lock();
        try {
            screen.append(text);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
