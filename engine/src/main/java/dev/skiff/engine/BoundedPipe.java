package dev.skiff.engine;

import dev.skiff.ProcessOutput;
import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * A pipe with a fixed-size buffer between one writer thread and one reader thread. The writer
 * blocks while the buffer is full, so nothing is dropped; it fails once the reader closed the pipe.
 * The reader sees the end of the stream after {@link #closeWriter()} and the buffer is drained.
 */
public final class BoundedPipe extends ProcessOutput {
    private final byte[] buffer;
    private int head;
    private int count;
    private boolean writerClosed;
    private boolean readerClosed;

    /** Creates a pipe that buffers up to {@code capacity} bytes. */
    public BoundedPipe(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity + " must be at least 1");
        }
        this.buffer = new byte[capacity];
    }

    /**
     * Appends bytes, blocking while the buffer is full.
     *
     * @throws IOException when the reader closed the pipe or the writer already closed it
     * @throws InterruptedIOException when the thread is interrupted while it waits
     */
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            while (count == buffer.length && !readerClosed) {
                awaitChange();
            }
            if (readerClosed) {
                throw new IOException("The reader closed the pipe");
            }
            if (writerClosed) {
                throw new IOException("The writer closed the pipe");
            }
            int tail = (head + count) % buffer.length;
            int chunk = Math.min(length, Math.min(buffer.length - count, buffer.length - tail));
            System.arraycopy(bytes, offset, buffer, tail, chunk);
            count += chunk;
            offset += chunk;
            length -= chunk;
            notifyAll();
        }
    }

    public void write(byte[] bytes) throws IOException {
        write(bytes, 0, bytes.length);
    }

    /** Ends the stream: the reader gets what is buffered, then end-of-stream. */
    public synchronized void closeWriter() {
        writerClosed = true;
        notifyAll();
    }

    @Override
    public synchronized int read() throws IOException {
        while (count == 0 && !writerClosed && !readerClosed) {
            awaitChange();
        }
        if (count == 0) {
            return -1;
        }
        int b = buffer[head] & 0xff;
        head = (head + 1) % buffer.length;
        count--;
        notifyAll();
        return b;
    }

    @Override
    public synchronized int read(byte[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (count == 0 && !writerClosed && !readerClosed) {
            awaitChange();
        }
        if (count == 0) {
            return -1;
        }
        int chunk = Math.min(length, Math.min(count, buffer.length - head));
        System.arraycopy(buffer, head, target, offset, chunk);
        head = (head + chunk) % buffer.length;
        count -= chunk;
        notifyAll();
        return chunk;
    }

    @Override
    public synchronized int available() {
        return count;
    }

    /** Discards the buffered bytes and makes later writes fail, so that a writer does not block on an abandoned pipe. */
    @Override
    public synchronized void close() {
        readerClosed = true;
        count = 0;
        notifyAll();
    }

    private void awaitChange() throws InterruptedIOException {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while waiting on the pipe");
        }
    }
}
