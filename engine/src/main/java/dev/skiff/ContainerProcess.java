package dev.skiff;

import java.io.OutputStream;

/**
 * A command started in a {@link Sandbox} by {@link Sandbox#exec}. Its standard output and standard
 * error arrive as two separate streams. Each stream buffers a bounded amount (1 MiB on Docker), so
 * a process that writes more to a stream that is not read waits until it is read, as a {@link Process} does.
 *
 * <p>Exit codes: null while the process runs, its exit status when it ends, and -1 when it ran past
 * its {@link ExecOptions#timeout timeout} and was killed.
 */
public interface ContainerProcess {
    /** Returns the process's standard output. */
    ProcessOutput stdout();

    /** Returns the process's standard error. */
    ProcessOutput stderr();

    /**
     * Returns the process's standard input. Writes are buffered and sent on {@code flush()}, when the
     * buffer fills, or on {@code close()}, which also delivers end-of-file to the process.
     */
    OutputStream stdin();

    /** Waits for the process to end and returns its exit code; -1 when it ran past its timeout. */
    int waitFor() throws InterruptedException;

    /** Returns the exit code, or null while the process runs. */
    Integer poll();
}
