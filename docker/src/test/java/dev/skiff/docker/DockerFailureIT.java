package dev.skiff.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import dev.skiff.App;
import dev.skiff.Engine;
import dev.skiff.Function;
import dev.skiff.FunctionOptions;
import dev.skiff.Image;
import dev.skiff.SkiffException;
import dev.skiff.WorkerDiedException;
import dev.skiff.code.CodeBundle;
import dev.skiff.engine.PoolSpec;
import dev.skiff.engine.WorkerLaunch;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures of docker workers and of the daemon, against the daemon that {@code DOCKER_HOST} names
 * (by default the local socket): out-of-memory kills, crashes, orphaned containers, GPU requests
 * without an NVIDIA runtime, an unreachable daemon and a missing image.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DockerFailureIT {
    /** Matches the worker names that the engine puts into its messages; a worker in a container has no pid here. */
    private static final String WORKER = "wk-[0-9A-Za-z_-]+";
    private static final String INPUT = "(fc|in)-[0-9A-Za-z_-]+";

    @Test
    void outOfMemoryKillIsRetriedAndReported(@TempDir Path attempts) throws Exception {
        Path attemptLog = attempts.resolve("attempts.txt");
        FunctionOptions options = FunctionOptions.defaults().backend("docker")
                .memory(200)
                .retries(1)
                .timeout(Duration.ofSeconds(120))
                .env(Map.of("JAVA_TOOL_OPTIONS", "-XX:MaxDirectMemorySize=2g"))
                .mount(attempts, "/host");

        try (Engine engine = Engine.embedded()) {
            Function<Integer> hog = App.named("failures", engine).function("hog", options, () -> {
                Files.writeString(Path.of("/host/attempts.txt"), "attempt\n", StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
                List<ByteBuffer> buffers = new ArrayList<>();
                while (true) {
                    ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
                    for (int offset = 0; offset < buffer.capacity(); offset += 4096) {
                        buffer.put(offset, (byte) 1);
                    }
                    buffers.add(buffer);
                }
            });

            WorkerDiedException error = catchThrowableOfType(WorkerDiedException.class, hog::remote);

            assertThat(error).as("the exception of hog.remote()").isNotNull();
            assertThat(error.getMessage()).matches(Pattern.compile("hog input " + INPUT + " failed: its worker "
                    + WORKER + " was killed for running out of memory: its container reached the limit of 200 MiB "
                    + "\\(exit status 137, OOMKilled\\); raise memory or use less"
                    + "; its last output lines:\nPicked up JAVA_TOOL_OPTIONS: -XX:MaxDirectMemorySize=2g\\.",
                    Pattern.DOTALL));
            assertThat(error.exitStatus()).isEqualTo(137);
        }
        assertThat(Files.readAllLines(attemptLog)).containsExactly("attempt", "attempt");
    }

    @Test
    void crashReportsStatusAndLogTail() {
        try (Engine engine = Engine.embedded()) {
            Function<Integer> crash = App.named("failures", engine).function("crash",
                    FunctionOptions.defaults().backend("docker").timeout(Duration.ofSeconds(120)), () -> {
                        // Straight to the process's standard error, past Skiff's forwarding of System.err.
                        PrintStream standardError = new PrintStream(new FileOutputStream(FileDescriptor.err), true,
                                StandardCharsets.UTF_8);
                        standardError.println("fatal: first line");
                        standardError.println("fatal: second line");
                        standardError.println("fatal: third line");
                        standardError.flush();
                        Runtime.getRuntime().halt(42);
                        return 0;
                    });

            WorkerDiedException error = catchThrowableOfType(WorkerDiedException.class, crash::remote);

            assertThat(error).as("the exception of crash.remote()").isNotNull();
            assertThat(error.getMessage()).matches(Pattern.compile("crash input " + INPUT + " failed: its worker "
                    + WORKER + " exited with status 42 \\(System.exit or a crash\\); its last output lines:\n"
                    + "fatal: first line\nfatal: second line\nfatal: third line\\.", Pattern.DOTALL));
            assertThat(error.exitStatus()).isEqualTo(42);
        }
    }

    @Test
    void orphanOfKilledEngineIsRemoved(@TempDir Path folder) throws Exception {
        Path childErrors = folder.resolve("child-stderr.txt");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DockerOrphanParent.class.getName());
        Process child = new ProcessBuilder(command).redirectError(childErrors.toFile()).start();
        String engineId = null;
        try (DockerConnection docker = DockerConnection.fromEnvironment()) {
            BlockingQueue<String> lines = readLines(child);
            engineId = awaitLine(lines, line -> line.startsWith("engine="), childErrors).substring("engine=".length());
            String running = awaitLine(lines, line -> line.endsWith(DockerOrphanParent.RUNNING), childErrors);
            assertThat(running).matches("\\[sleeper " + INPUT + "\\] " + DockerOrphanParent.RUNNING);

            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the child JVM exited").isTrue();

            List<Container> left = containersOf(docker, engineId);
            assertThat(left).as("containers of the killed engine %s", engineId).hasSize(1);
            Map<String, String> labels = left.get(0).getLabels();
            assertThat(labels.get(DockerBackend.LABEL_ENGINE_PID)).isEqualTo(Long.toString(child.pid()));
            assertThat(labels.get(DockerBackend.LABEL_ENGINE_HOST)).isEqualTo(DockerBackend.hostName());
            assertThat(labels.get(DockerBackend.LABEL_APP)).isEqualTo("orphans");
            assertThat(labels.get(DockerBackend.LABEL_FUNCTION)).isEqualTo("sleeper");
            assertThat(left.get(0).getState()).isEqualTo("running");

            // The first docker call of a new engine creates a DockerBackend, which removes the orphan.
            try (Engine engine = Engine.embedded()) {
                Function<String> ping = App.named("failures", engine).function("ping",
                        FunctionOptions.defaults().backend("docker"), () -> "pong");
                assertThat(ping.remote()).isEqualTo("pong");
            }
            assertThat(containersOf(docker, engineId)).as("containers of the killed engine %s", engineId).isEmpty();
        } finally {
            child.destroyForcibly();
            if (engineId != null) {
                removeContainersOf(engineId);
            }
        }
    }

    @Test
    void gpuRequestBecomesDeviceRequest() {
        Map<String, Integer> countBySpec = Map.of("A100:2", 2, "T4", 1);
        String engineId = "en-gputest-" + UUID.randomUUID();
        try (DockerConnection connection = DockerConnection.fromEnvironment();
                DockerBackend backend = new DockerBackend(engineId, connection)) {
            countBySpec.forEach((spec, count) -> {
                String workerId = "wk-gputest-" + UUID.randomUUID();
                PoolSpec pool = new PoolSpec("gpu-app/train", "train", CodeBundle.of(List.of(), Map.of()),
                        new byte[0], null, null, FunctionOptions.defaults().backend("docker").gpu(spec));
                WorkerLaunch launch = new WorkerLaunch(pool, workerId, "identity-unused", "tcp://127.0.0.1:1",
                        "tcp://127.0.0.1:1", "engine-key-unused", "engine-password-unused");

                String containerId = backend.createContainer(launch, ImageBuilder.OFFLINE_BASE);
                try {
                    InspectContainerResponse container = backend.connection().client()
                            .inspectContainerCmd(containerId).exec();
                    assertThat(container.getState().getStatus()).isEqualTo("created");
                    assertThat(container.getName()).isEqualTo("/skiff-" + workerId);
                    assertThat(container.getConfig().getLabels()).containsEntry(DockerBackend.LABEL_ENGINE, engineId)
                            .containsEntry(DockerBackend.LABEL_APP, "gpu-app")
                            .containsEntry(DockerBackend.LABEL_FUNCTION, "train")
                            .containsEntry(DockerBackend.LABEL_WORKER, workerId);
                    List<DeviceRequest> requests = container.getHostConfig().getDeviceRequests();
                    assertThat(requests).as("device requests for gpu(%s)", spec).hasSize(1);
                    DeviceRequest request = requests.get(0);
                    assertThat(request.getDriver()).isEqualTo("nvidia");
                    assertThat(request.getCount()).as("count for gpu(%s)", spec).isEqualTo(count);
                    assertThat(request.getDeviceIds()).as("device ids for gpu(%s)", spec).isNullOrEmpty();
                    assertThat(request.getCapabilities()).isEqualTo(List.of(List.of("gpu")));
                } finally {
                    backend.connection().client().removeContainerCmd(containerId).withForce(true).exec();
                }
            });
        }
    }

    @Test
    void gpuWithoutNvidiaRuntimeFailsTheCall() {
        URI host;
        try (DockerConnection docker = DockerConnection.fromEnvironment()) {
            host = docker.host();
            assertThat(docker.info().getRuntimes()).as("runtimes of the daemon at %s", host)
                    .doesNotContainKey("nvidia");
        }

        try (Engine engine = Engine.embedded()) {
            Function<String> train = App.named("failures", engine).function("train",
                    FunctionOptions.defaults().backend("docker").gpu("T4"), () -> "trained");

            assertThatThrownBy(train::remote)
                    .isInstanceOf(WorkerDiedException.class)
                    .hasMessage("train: could not start a worker: train asks for GPUs [T4], but the Docker daemon at "
                            + host + " has no NVIDIA runtime, so its containers cannot use GPUs. Install the NVIDIA "
                            + "Container Toolkit on that machine (apt-get install nvidia-container-toolkit, then "
                            + "nvidia-ctk runtime configure --runtime=docker, and restart dockerd), or remove the gpu "
                            + "option.");
        }
    }

    @Test
    void unreachableDaemonIsNamed() {
        withDockerHost("tcp://127.0.0.1:1", () -> {
            assertThat(DefaultDockerClientConfig.createDefaultConfigBuilder().build().getDockerHost())
                    .as("DOCKER_HOST read from the system property")
                    .isEqualTo(URI.create("tcp://127.0.0.1:1"));

            SkiffException connectionError = catchThrowableOfType(SkiffException.class,
                    DockerConnection::fromEnvironment);
            assertThat(connectionError).as("the exception of DockerConnection.fromEnvironment()").isNotNull();
            assertThat(connectionError.getMessage()).isEqualTo("Cannot reach the Docker daemon at tcp://127.0.0.1:1 "
                    + "(from DOCKER_HOST): HttpHostConnectException: Connect to http://127.0.0.1:1 failed: Connection "
                    + "refused. Start the daemon (as root: scripts/docker-engine.sh start) or set DOCKER_HOST to one "
                    + "that runs, with DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH for a TLS port.");

            try (Engine engine = Engine.embedded()) {
                Function<String> unreachable = App.named("failures", engine).function("unreachable",
                        FunctionOptions.defaults().backend("docker"), () -> "reached");

                assertThatThrownBy(unreachable::remote)
                        .isInstanceOf(SkiffException.class)
                        .hasMessage(connectionError.getMessage());
            }
        });
    }

    /** Runs {@code check} with the system property DOCKER_HOST, which docker-java reads like the variable. */
    private static void withDockerHost(String host, Runnable check) {
        String previous = System.getProperty("DOCKER_HOST");
        System.setProperty("DOCKER_HOST", host);
        try {
            check.run();
        } finally {
            if (previous == null) {
                System.clearProperty("DOCKER_HOST");
            } else {
                System.setProperty("DOCKER_HOST", previous);
            }
        }
    }

    @Test
    void missingImageFailsTheCall() {
        URI host;
        try (DockerConnection docker = DockerConnection.fromEnvironment()) {
            host = docker.host();
            assertThatThrownBy(() -> docker.client().inspectImageCmd("skiff-test/missing:1").exec())
                    .as("skiff-test/missing:1 on the daemon")
                    .isInstanceOf(NotFoundException.class);
        }

        try (Engine engine = Engine.embedded()) {
            Function<String> missing = App.named("failures", engine).function("missing",
                    FunctionOptions.defaults().backend("docker").image(Image.fromRegistry("skiff-test/missing:1")),
                    () -> "found");

            assertThatThrownBy(missing::remote)
                    .isInstanceOf(WorkerDiedException.class)
                    .hasMessage("missing: could not start a worker: Image skiff-test/missing:1 is not on the Docker "
                            + "daemon at " + host + ": pulling it failed. Pull or build it on that daemon (docker pull "
                            + "skiff-test/missing:1), or start from Image.debianSlim().");
        }
    }

    @Test
    void missingHostFolderOfMountFailsTheCall(@TempDir Path folder) {
        Path missing = folder.resolve("no-such-folder");
        try (Engine engine = Engine.embedded()) {
            Function<String> mounted = App.named("failures", engine).function("mounted",
                    FunctionOptions.defaults().backend("docker").mount(missing, "/data"), () -> "ran");

            assertThatThrownBy(mounted::remote)
                    .isInstanceOf(WorkerDiedException.class)
                    .hasMessage("mounted: could not start a worker: mounted: mount: the host folder " + missing
                            + " (for /data) does not exist on this machine; create it, or fix the path.");
        }
        assertThat(Files.exists(missing)).isFalse();
    }

    /** Reads the child's standard output on a daemon thread, one queue element per line. */
    private static BlockingQueue<String> readLines(Process child) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // The child was killed; the lines read so far are in the queue.
            }
        }, "orphan-parent-output");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    /** Returns the first line that matches, waiting up to 4 minutes, which covers a first worker image build. */
    private static String awaitLine(BlockingQueue<String> lines, java.util.function.Predicate<String> matching,
            Path childErrors) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null) {
                break;
            }
            if (matching.test(line)) {
                return line;
            }
            seen.add(line);
        }
        throw new AssertionError("The child JVM printed no expected line within 4 minutes. Its output: " + seen
                + "; the end of its standard error:\n" + tail(childErrors));
    }

    private static String tail(Path file) throws IOException {
        List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static List<Container> containersOf(DockerConnection docker, String engineId) {
        return docker.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerBackend.LABEL_ENGINE, engineId)).exec();
    }

    /** Removes what a failed test left of the child's engine; only that engine's containers. */
    private static void removeContainersOf(String engineId) {
        try (DockerConnection docker = DockerConnection.fromEnvironment()) {
            for (Container container : containersOf(docker, engineId)) {
                try {
                    docker.client().removeContainerCmd(container.getId()).withForce(true).exec();
                } catch (NotFoundException e) {
                    // Already removed.
                }
            }
        }
    }
}
