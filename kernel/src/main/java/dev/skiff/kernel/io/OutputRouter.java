package dev.skiff.kernel.io;

import dev.skiff.kernel.KernelContext;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends text written by cells, by any thread, as {@code stream} messages of the current execute
 * request, or of the last one once it has ended. Text is coalesced: a message goes out
 * {@value #COALESCE_MILLIS} ms after the first pending write, when {@value #MAX_PENDING} characters
 * are pending, when the other stream is written, or on {@link #flush()}. Thread-safe.
 */
public final class OutputRouter implements AutoCloseable {
    static final long COALESCE_MILLIS = 20;
    static final int MAX_PENDING = 16_384;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "skiff-kernel-output");
        thread.setDaemon(true);
        return thread;
    });
    private final StringBuilder pending = new StringBuilder();
    private String pendingStream;
    private boolean flushScheduled;
    private volatile KernelContext target;

    /** Sets the request that receives output from now on; null drops output. */
    public void target(KernelContext context) {
        flush();
        target = context;
    }

    /** Returns the request that receives output now, or null. */
    public KernelContext target() {
        return target;
    }

    /** Appends text to {@code stream} ("stdout" or "stderr"). */
    public void write(String stream, CharSequence text) {
        if (text.length() == 0) {
            return;
        }
        boolean flushNow;
        synchronized (this) {
            if (pendingStream != null && !pendingStream.equals(stream)) {
                publishPending();
            }
            pendingStream = stream;
            pending.append(text);
            flushNow = pending.length() >= MAX_PENDING;
            if (!flushNow && !flushScheduled) {
                flushScheduled = true;
                timer.schedule(this::flush, COALESCE_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
        if (flushNow) {
            flush();
        }
    }

    /** Publishes pending text now, so that it precedes whatever is published next. */
    public synchronized void flush() {
        publishPending();
        flushScheduled = false;
    }

    @Override
    public void close() {
        flush();
        timer.shutdownNow();
    }

    private void publishPending() {
        if (pending.length() == 0) {
            return;
        }
        KernelContext context = target;
        if (context != null) {
            context.stream(pendingStream, pending.toString());
        }
        pending.setLength(0);
    }
}
