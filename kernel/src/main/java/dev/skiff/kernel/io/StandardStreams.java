package dev.skiff.kernel.io;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Replaces {@code System.out}, {@code System.err} and {@code System.in} with streams that reach
 * the frontend through an {@link OutputRouter}, keeping the originals for the kernel's own logs.
 */
public final class StandardStreams {
    private final PrintStream originalOut;
    private final PrintStream originalErr;
    private final InputStream originalIn;

    private StandardStreams(PrintStream out, PrintStream err, InputStream in) {
        this.originalOut = out;
        this.originalErr = err;
        this.originalIn = in;
    }

    /** Installs the cell streams and returns the originals. */
    public static StandardStreams install(OutputRouter router) {
        StandardStreams originals = new StandardStreams(System.out, System.err, System.in);
        System.setOut(new PrintStream(new CellOutputStream(router, "stdout"), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new CellOutputStream(router, "stderr"), true, StandardCharsets.UTF_8));
        System.setIn(new CellInputStream(router));
        return originals;
    }

    public PrintStream originalErr() {
        return originalErr;
    }

    /** Puts the original streams back. */
    public void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
        System.setIn(originalIn);
    }
}
