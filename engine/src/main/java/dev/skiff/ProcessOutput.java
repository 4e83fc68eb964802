package dev.skiff;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Standard output or standard error of a {@link ContainerProcess}: an input stream that ends when
 * the process closes it. Read it whole with {@link #text()} or {@link #readAll()}, which block
 * until the process ends its output, or line by line with {@link #readLine()} or {@link #lines()}
 * while the process runs. Text is decoded as UTF-8.
 */
public abstract class ProcessOutput extends InputStream {
    /** Reads everything up to the end of the stream and returns it as bytes. */
    public byte[] readAll() throws IOException {
        return readAllBytes();
    }

    /** Reads everything up to the end of the stream and returns it decoded as UTF-8. */
    public String text() throws IOException {
        return new String(readAllBytes(), StandardCharsets.UTF_8);
    }

    /**
     * Reads the next line, without its {@code \n}, blocking until the line ends or the stream does.
     *
     * @return the line, the last partial line at the end of the stream, or null at the end of the stream
     */
    public String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = read()) != -1) {
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    /**
     * Returns the remaining lines as a lazy stream that blocks for each line while the process runs.
     * An {@link IOException} while reading surfaces as {@link UncheckedIOException}.
     */
    public Stream<String> lines() {
        Iterator<String> iterator = new Iterator<>() {
            private String next;
            private boolean ended;

            @Override
            public boolean hasNext() {
                if (next == null && !ended) {
                    try {
                        next = readLine();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    ended = next == null;
                }
                return next != null;
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                String line = next;
                next = null;
                return line;
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED), false);
    }
}
