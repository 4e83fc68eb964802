package dev.skiff.kernel.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pipe that any thread writes to so that a socket owner blocked in a ZeroMQ poll wakes up.
 *
 * <p>{@link #signal()} is thread-safe and keeps the caller's interrupt status. Only the owner thread calls
 * {@link #drain()}, {@link #reopen()} and {@link #close()}. NIO closes a pipe whose writer is interrupted
 * mid-write; the owner then sees end of stream, and {@link #reopen()} replaces the pipe.
 */
final class WakeupSignal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WakeupSignal.class);

    private final AtomicBoolean pending = new AtomicBoolean();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64);
    private volatile Pipe pipe;

    WakeupSignal() {
        this.pipe = openPipe();
    }

    /** Wakes the owner; a no-op while an earlier signal is still pending. */
    void signal() {
        if (!pending.compareAndSet(false, true)) {
            return;
        }
        boolean interrupted = Thread.interrupted();
        try {
            pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
        } catch (IOException e) {
            // The pipe is closed: either the owner has stopped, or this write lost a race with an interrupt
            // and the owner will see end of stream and reopen it.
            LOG.debug("Wake-up write failed: {}", e.toString());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Returns the channel to register with the owner's poller. */
    SelectableChannel source() {
        return pipe.source();
    }

    /**
     * Consumes pending signals and returns false when the pipe is broken and must be reopened. The
     * owner must run its queued actions after each call.
     */
    boolean drain() {
        try {
            while (true) {
                readBuffer.clear();
                int read = pipe.source().read(readBuffer);
                if (read == 0) {
                    return true;
                }
                if (read < 0) {
                    return false;
                }
            }
        } catch (IOException e) {
            return false;
        } finally {
            // Cleared after the reads, because a signal that found the flag set during them queued its
            // action first, and the owner runs actions next. Cleared before them, a byte could be consumed
            // while the flag stayed set, so later signals would write nothing until the poll timed out.
            pending.set(false);
        }
    }

    /** Replaces a broken pipe; the owner must register the new {@link #source()} with its poller. */
    void reopen() {
        Pipe old = pipe;
        pipe = openPipe();
        pending.set(false);
        closePipe(old);
    }

    @Override
    public void close() {
        closePipe(pipe);
    }

    private static Pipe openPipe() {
        try {
            Pipe opened = Pipe.open();
            opened.source().configureBlocking(false);
            opened.sink().configureBlocking(false);
            return opened;
        } catch (IOException e) {
            throw new UncheckedIOException("failed to open a wake-up pipe", e);
        }
    }

    private static void closePipe(Pipe toClose) {
        try {
            toClose.sink().close();
        } catch (IOException e) {
            LOG.debug("Closing wake-up pipe sink failed: {}", e.toString());
        }
        try {
            toClose.source().close();
        } catch (IOException e) {
            LOG.debug("Closing wake-up pipe source failed: {}", e.toString());
        }
    }
}
