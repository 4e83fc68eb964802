package dev.skiff.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.ExecCreateCmd;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import dev.skiff.ContainerProcess;
import dev.skiff.ExecOptions;
import dev.skiff.ProcessOutput;
import dev.skiff.SkiffException;
import dev.skiff.engine.BoundedPipe;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command run in a sandbox with Docker's exec API. Docker sends standard output and standard error
 * multiplexed on one connection; each goes to its own {@link BoundedPipe}, and a full pipe stops the
 * reading of the connection until the caller reads, so nothing is dropped.
 *
 * <p>Standard input: docker-java's hijacked connection gives the process no end-of-file when the
 * caller closes its input, so the command runs under {@link #WRAPPER}, a {@code sh} script that
 * reads frames (a decimal length line, then that many bytes) and copies their bytes into a FIFO
 * that the command reads. The frame {@code 0} ends the copying, which closes the FIFO, and the
 * command reads end-of-file. The script also records the command's process id, so that a timeout can
 * kill it. The image therefore needs {@code sh}, {@code mkfifo} and GNU {@code dd} (Debian has them).
 *
 * <p>NOTE: the pid file {@code /tmp/.skiff-exec-KEY.pid} of a command that ends by itself stays in
 * the container, a few bytes per exec.
 */
final class DockerExec implements ContainerProcess {
    private static final Logger LOG = LoggerFactory.getLogger(DockerExec.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Bytes buffered per output stream before Docker's connection waits for the caller to read. */
    static final int OUTPUT_BUFFER = 1024 * 1024;
    /** Largest frame of standard input, in bytes. The wrapper copies each frame with one {@code dd} call. */
    static final int INPUT_CHUNK = 64 * 1024;
    static final int TIMED_OUT = -1;

    /**
     * Runs {@code "$@"} (after the first argument, a key naming the FIFO and the pid file) with its
     * standard input from a FIFO. The frame loop runs in the background with the exec's standard input
     * on descriptor 3, because {@code sh} gives background jobs {@code /dev/null} as standard input.
     * Dash's {@code read} takes one byte at a time from a pipe, so it never consumes frame bytes.
     */
    static final String WRAPPER = "p=/tmp/.skiff-exec-$1; shift; mkfifo \"$p.in\" || exit 126; echo $$ > \"$p.pid\"; "
            + "exec 3<&0; { exec 2>/dev/null >\"$p.in\"; rm -f \"$p.in\"; "
            + "while IFS= read -r n && [ \"$n\" != 0 ]; do dd iflag=fullblock bs=\"$n\" count=1 status=none; done; "
            + "} <&3 & exec \"$@\" < \"$p.in\" 3<&-";

    private final DockerSandbox sandbox;
    private final DockerConnection docker;
    private final String key = HexFormat.of().formatHex(randomBytes());
    private final String execId;
    private final List<String> command;
    private final BoundedPipe stdout = new BoundedPipe(OUTPUT_BUFFER);
    private final BoundedPipe stderr = new BoundedPipe(OUTPUT_BUFFER);
    /** Framed input on its way to Docker, which docker-java reads on its own thread. */
    private final BoundedPipe input = new BoundedPipe(INPUT_CHUNK * 4);
    private final FramedStdin stdin = new FramedStdin();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final Frames frames = new Frames();
    private volatile boolean timedOut;

    DockerExec(DockerSandbox sandbox, DockerConnection docker, ScheduledExecutorService timers, ExecOptions options,
            List<String> command) {
        this.sandbox = sandbox;
        this.docker = docker;
        this.command = command;
        List<String> words = new ArrayList<>(List.of("sh", "-c", WRAPPER, "sh", key));
        words.addAll(command);
        List<String> environment = new ArrayList<>();
        options.environment().forEach((name, value) -> environment.add(name + "=" + value));

        DockerClient client = docker.client();
        ExecCreateCmd create = client.execCreateCmd(sandbox.containerId())
                .withAttachStdin(true)
                .withAttachStdout(true)
                .withAttachStderr(true)
                .withTty(false)
                .withCmd(words.toArray(String[]::new));
        if (!environment.isEmpty()) {
            create.withEnv(environment);
        }
        if (options.workdir() != null) {
            create.withWorkingDir(options.workdir());
        }
        try {
            execId = create.exec().getId();
        } catch (ConflictException | NotFoundException e) {
            throw new SkiffException("Cannot run " + command + " in sandbox " + sandbox.id()
                    + ": its container is not running (" + e.getMessage().strip() + "). Create a new sandbox.", e);
        }
        client.execStartCmd(execId).withDetach(false).withTty(false).withStdIn(input).exec(frames);
        if (options.timeout() != null) {
            timers.schedule(this::timeOut, options.timeout().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    CompletableFuture<Integer> onExit() {
        return exit;
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
        return stdin;
    }

    @Override
    public int waitFor() throws InterruptedException {
        try {
            return exit.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new SkiffException(
                    "Running " + command + " in sandbox " + sandbox.id() + " failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public Integer poll() {
        if (!exit.isDone()) {
            return null;
        }
        try {
            return waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Kills the command after its timeout, and ends the exec even if a child process keeps its output open. */
    private void timeOut() {
        if (exit.isDone()) {
            return;
        }
        timedOut = true;
        LOG.info("Command {} in sandbox {} ran past its timeout; killing it", command, sandbox.id());
        String pidFile = "/tmp/.skiff-exec-" + key + ".pid";
        try {
            String killId = docker.client().execCreateCmd(sandbox.containerId())
                    .withCmd("sh", "-c", "kill -9 \"$(cat " + pidFile + ")\"; rm -f " + pidFile)
                    .exec().getId();
            docker.client().execStartCmd(killId).exec(new ResultCallback.Adapter<Frame>())
                    .awaitCompletion(5, TimeUnit.SECONDS);
        } catch (DockerException e) {
            LOG.debug("Killing {} in sandbox {} failed: {}", command, sandbox.id(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (!frames.awaitCompletion(3, TimeUnit.SECONDS)) {
                frames.close();
                finish(null);
            }
        } catch (InterruptedException | IOException e) {
            finish(null);
        }
    }

    /** Ends the output streams and the input, then completes the exit code from Docker's record of the exec. */
    private void finish(Throwable error) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        stdout.closeWriter();
        stderr.closeWriter();
        input.closeWriter();
        input.close();
        try {
            completeExit(error);
        } catch (RuntimeException e) {
            LOG.warn("Reading the exit code of {} in sandbox {} failed", command, sandbox.id(), e);
            exit.completeExceptionally(new SkiffException("Reading the exit code of " + command + " in sandbox "
                    + sandbox.id() + " failed: " + DockerConnection.rootMessage(e), e));
        }
    }

    private void completeExit(Throwable error) {
        if (timedOut) {
            exit.complete(TIMED_OUT);
            return;
        }
        if (sandbox.endedHere()) {
            // Killed with its sandbox. Docker reports 126 instead of 137 when the kill came before the exec started.
            exit.complete(DockerSandbox.TERMINATED);
            return;
        }
        Long code = null;
        try {
            // Docker records the exit code a moment after the output ends: poll briefly at first, for at most 5 s.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            for (long pause = 2; System.nanoTime() < deadline; pause = Math.min(100, pause * 2)) {
                InspectExecResponse state = docker.client().inspectExecCmd(execId).exec();
                if (!Boolean.TRUE.equals(state.isRunning()) && state.getExitCodeLong() != null) {
                    code = state.getExitCodeLong();
                    break;
                }
                Thread.sleep(pause);
            }
        } catch (NotFoundException e) {
            LOG.debug("Exec of {} in sandbox {} is gone: {}", command, sandbox.id(), e.getMessage());
        } catch (DockerException e) {
            LOG.warn("Reading the exit code of {} in sandbox {} failed: {}", command, sandbox.id(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (code != null) {
            exit.complete(code.intValue());
        } else if (error != null) {
            exit.completeExceptionally(new SkiffException("Running " + command + " in sandbox " + sandbox.id()
                    + " failed: " + DockerConnection.rootMessage(error), error));
        } else {
            // The container was killed or removed before Docker recorded an exit code.
            exit.complete(DockerSandbox.TERMINATED);
        }
    }

    /** Splits Docker's multiplexed frames into the two output pipes. */
    private final class Frames extends ResultCallback.Adapter<Frame> {
        @Override
        public void onNext(Frame frame) {
            BoundedPipe target = switch (frame.getStreamType()) {
                case STDERR -> stderr;
                case STDOUT, RAW -> stdout;
                default -> null;
            };
            if (target == null) {
                return;
            }
            try {
                target.write(frame.getPayload());
            } catch (IOException e) {
                // The caller closed this stream, so its output is discarded.
            }
        }

        @Override
        public void onError(Throwable throwable) {
            finish(throwable);
            super.onError(throwable);
        }

        @Override
        public void onComplete() {
            // finish ends the input pipe first: closing this callback waited on docker-java's thread that
            // copies standard input, which blocked reading that pipe, and the exit code never arrived.
            finish(null);
            super.onComplete();
        }
    }

    /** Standard input of the command, sent to the wrapper as frames (see {@link DockerExec}). */
    private final class FramedStdin extends OutputStream {
        private final byte[] buffer = new byte[INPUT_CHUNK];
        private int size;
        private boolean closed;

        @Override
        public synchronized void write(int b) throws IOException {
            requireOpen();
            buffer[size++] = (byte) b;
            if (size == buffer.length) {
                send();
            }
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
            requireOpen();
            while (length > 0) {
                int chunk = Math.min(length, buffer.length - size);
                System.arraycopy(bytes, offset, buffer, size, chunk);
                size += chunk;
                offset += chunk;
                length -= chunk;
                if (size == buffer.length) {
                    send();
                }
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            requireOpen();
            send();
        }

        /** Sends what is buffered, then the end-of-file frame, after which the process reads end-of-file. */
        @Override
        public synchronized void close() throws IOException {
            if (closed) {
                return;
            }
            send();
            closed = true;
            forward("0\n".getBytes(StandardCharsets.US_ASCII), 2);
        }

        private void send() throws IOException {
            if (size == 0) {
                return;
            }
            forward((size + "\n").getBytes(StandardCharsets.US_ASCII), -1);
            forward(buffer, size);
            size = 0;
            sandbox.touch();
        }

        private void forward(byte[] bytes, int length) throws IOException {
            try {
                input.write(bytes, 0, length < 0 ? bytes.length : length);
            } catch (IOException e) {
                throw new IOException("Cannot write to the standard input of " + command + " in sandbox "
                        + sandbox.id() + ": the process has exited.", e);
            }
        }

        private void requireOpen() throws IOException {
            if (closed) {
                throw new IOException("The standard input of " + command + " is closed.");
            }
        }
    }
}
