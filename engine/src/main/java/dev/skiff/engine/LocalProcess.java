package dev.skiff.engine;

import dev.skiff.ContainerProcess;
import dev.skiff.ProcessOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A command in a local sandbox: a {@link Process} whose pipes are the streams. The operating system's
 * pipe buffers bound the output, so a command that writes to a stream that is not read waits.
 */
final class LocalProcess implements ContainerProcess {
    static final int TIMED_OUT = -1;

    private final Process process;
    private final ProcessOutput stdout;
    private final ProcessOutput stderr;
    private final ScheduledFuture<?> timeoutTask;
    private volatile boolean timedOut;

    LocalProcess(Process process, Duration timeout, ScheduledExecutorService timers, Consumer<Process> kill) {
        this.process = process;
        this.stdout = new Output(process.getInputStream());
        this.stderr = new Output(process.getErrorStream());
        if (timeout != null) {
            timeoutTask = timers.schedule(() -> {
                if (process.isAlive()) {
                    timedOut = true;
                    kill.accept(process);
                }
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            process.onExit().thenRun(() -> timeoutTask.cancel(false));
        } else {
            timeoutTask = null;
        }
    }

    @Override
    public ProcessOutput stdout() {
        return stdout;
    }

    @Override
    public ProcessOutput stderr() {
        return stderr;
    }

    @Override
    public OutputStream stdin() {
        return process.getOutputStream();
    }

    @Override
    public int waitFor() throws InterruptedException {
        int code = process.waitFor();
        return timedOut ? TIMED_OUT : code;
    }

    @Override
    public Integer poll() {
        if (process.isAlive()) {
            return null;
        }
        return timedOut ? TIMED_OUT : process.exitValue();
    }

    /** One of the process's output pipes as a {@link ProcessOutput}. */
    private static final class Output extends ProcessOutput {
        private final InputStream in;

        Output(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            return in.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return in.read(buffer, offset, length);
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
