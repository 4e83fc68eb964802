package dev.skiff.kernel.io;

import dev.skiff.kernel.KernelContext;
import dev.skiff.kernel.StdinNotAllowedException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code System.in} of cells: each time it runs dry it sends an {@code input_request} to the
 * frontend of the current execute request and returns the line entered, with a newline.
 * Thread-safe.
 */
final class CellInputStream extends InputStream {
    private final OutputRouter router;
    private byte[] line = new byte[0];
    private int position;

    CellInputStream(OutputRouter router) {
        this.router = router;
    }

    @Override
    public synchronized int read() throws InterruptedIOException {
        if (!fill()) {
            return -1;
        }
        return line[position++] & 0xFF;
    }

    @Override
    public synchronized int read(byte[] buffer, int offset, int length) throws InterruptedIOException {
        if (length == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int count = Math.min(length, line.length - position);
        System.arraycopy(line, position, buffer, offset, count);
        position += count;
        return count;
    }

    @Override
    public synchronized int available() {
        return line.length - position;
    }

    /** Reads the next line from the frontend when the current one is used up; false at end of input. */
    private boolean fill() throws InterruptedIOException {
        if (position < line.length) {
            return true;
        }
        KernelContext context = router.target();
        if (context == null) {
            return false;
        }
        router.flush();
        if (!context.allowStdin()) {
            throw new StdinNotAllowedException("Cannot read System.in: the frontend sent this cell with allow_stdin"
                    + " false, so it accepts no input requests. Run the cell from a frontend that supports input,"
                    + " or pass the data in code.");
        }
        String value;
        try {
            value = context.readInput("", false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for input from the frontend");
        }
        line = (value + "\n").getBytes(StandardCharsets.UTF_8);
        position = 0;
        return true;
    }
}
