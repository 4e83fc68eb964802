package dev.skiff.docker;

import dev.skiff.TestFiles;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import dev.skiff.App;
import dev.skiff.Engine;
import dev.skiff.Function;
import dev.skiff.FunctionCall;
import dev.skiff.FunctionOptions;
import dev.skiff.Secret;
import dev.skiff.Volume;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resource limits, security settings, labels, environment, secrets, volumes and bind mounts of
 * worker containers, checked by inspecting the containers on the daemon, and the absence of secret
 * values from everything the engine logs. Each test runs its own engine and checks after closing
 * it that none of its containers remain.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DockerLimitsIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final long MIB = 1024L * 1024L;
    private static final FunctionOptions DOCKER = FunctionOptions.defaults().backend("docker");

    @TempDir
    Path folder;

    @Test
    void runningContainerHasLimitsAndLabels() throws Exception {
        String secretValue = "secret-" + UUID.randomUUID();
        String volumeName = newVolumeName();
        FunctionOptions options = DOCKER.cpu(1.5).memory(300)
                .env(Map.of("SKIFF_IT_MODE", "limits-mode"))
                .secrets(Secret.fromMap("limits-token", Map.of("SKIFF_IT_TOKEN", secretValue)))
                .volume("/data", Volume.fromName(volumeName))
                .mount(folder, "/host");
        try (Engine engine = Engine.embedded(); EngineContainers containers = new EngineContainers(engine)) {
            Function<String> limited = App.named("docker-limits", engine).function("limited", options, () -> {
                TestFiles.appendLine("/host/started", WorkerFiles.hostName());
                Files.writeString(Path.of("/host/from-container.txt"), "written in " + WorkerFiles.hostName());
                if (!WorkerFiles.awaitFile("/host/release", Duration.ofSeconds(60))) {
                    throw new IllegalStateException("The test did not create /host/release within 60 s");
                }
                return System.getenv("SKIFF_IT_MODE") + " " + System.getenv("SKIFF_IT_TOKEN");
            });

            FunctionCall<String> call = limited.spawn();
            String hostName = TestFiles.awaitLines(folder.resolve("started"), 1, WAIT).get(0);
            List<Container> listed = containers.ofFunction("limited");
            assertThat(listed).hasSize(1);
            InspectContainerResponse container = containers.client().inspectContainerCmd(listed.get(0).getId()).exec();

            assertThat(container.getState().getRunning()).isTrue();
            assertThat(container.getConfig().getHostName()).isEqualTo(hostName);
            HostConfig host = container.getHostConfig();
            assertThat(host.getMemory()).isEqualTo(300 * MIB);
            assertThat(host.getMemorySwap()).isEqualTo(300 * MIB);
            assertThat(host.getNanoCPUs()).isEqualTo(1_500_000_000L);
            assertThat(host.getCapDrop()).containsExactly(Capability.ALL);
            assertThat(host.getSecurityOpts()).containsExactly("no-new-privileges");
            assertThat(host.getPidsLimit()).isEqualTo(4096L);
            assertThat(Arrays.stream(host.getBinds()).map(bind -> bind.getPath() + ":" + bind.getVolume().getPath()))
                    .containsExactlyInAnyOrder(volumeName + ":/data", folder + ":/host");

            Map<String, String> labels = container.getConfig().getLabels();
            String workerId = labels.get(DockerBackend.LABEL_WORKER);
            assertThat(workerId).matches("wk-[0-9A-Za-z]{22}");
            assertThat(container.getName()).isEqualTo("/skiff-" + workerId);
            assertThat(labels).containsEntry(DockerBackend.LABEL_ENGINE, engine.id());
            assertThat(labels).containsEntry(DockerBackend.LABEL_APP, "docker-limits");
            assertThat(labels).containsEntry(DockerBackend.LABEL_FUNCTION, "limited");
            assertThat(labels).containsEntry(DockerBackend.LABEL_ENGINE_HOST, InetAddress.getLocalHost().getHostName());
            assertThat(labels)
                    .containsEntry(DockerBackend.LABEL_ENGINE_PID, Long.toString(ProcessHandle.current().pid()));
            assertThat(container.getConfig().getEnv())
                    .contains("SKIFF_IT_MODE=limits-mode", "SKIFF_IT_TOKEN=" + secretValue, "HOME=/tmp");

            Files.createFile(folder.resolve("release"));
            assertThat(call.get(WAIT)).isEqualTo("limits-mode " + secretValue);
            assertThat(Files.readString(folder.resolve("from-container.txt"))).isEqualTo("written in " + hostName);

            engine.close();
            assertThat(containers.all()).isEmpty();
        } finally {
            removeVolume(volumeName);
        }
    }

    @Test
    void containerWithoutLimitsGetsDefaultMemory() throws Exception {
        try (Engine engine = Engine.embedded(); EngineContainers containers = new EngineContainers(engine)) {
            Function<String> plain = App.named("docker-defaults", engine).function("plain", DOCKER,
                    () -> WorkerFiles.hostName());

            String hostName = plain.spawn().get(WAIT);

            // The worker stays idle in its container until the scale-down window passes.
            HostConfig host = containers.inspectByHostName(hostName).getHostConfig();
            assertThat(host.getMemory()).isEqualTo(2048 * MIB);
            assertThat(host.getMemorySwap()).isEqualTo(2048 * MIB);
            assertThat(host.getNanoCPUs()).isEqualTo(0L);
            assertThat(host.getPidsLimit()).isEqualTo(4096L);

            engine.close();
            assertThat(containers.all()).isEmpty();
        }
    }

    @Test
    void volumeIsSharedBetweenFunctions() throws Exception {
        String volumeName = newVolumeName();
        FunctionOptions options = DOCKER.volume("/data", Volume.fromName(volumeName));
        try (Engine engine = Engine.embedded(); EngineContainers containers = new EngineContainers(engine)) {
            App app = App.named("docker-volumes", engine);
            Function<String> writer = app.function("volume-writer", options, (String text) -> {
                Files.writeString(Path.of("/data/shared.txt"), text);
                return WorkerFiles.hostName();
            });
            Function<String> reader = app.function("volume-reader", options,
                    () -> WorkerFiles.hostName() + " " + Files.readString(Path.of("/data/shared.txt")));

            String writerHost = writer.spawn("written by the writer").get(WAIT);
            String read = reader.spawn().get(WAIT);

            assertThat(read).isNotEqualTo(writerHost + " written by the writer");
            assertThat(read).endsWith(" written by the writer");
            assertThat(containers.inspectByHostName(read.substring(0, read.indexOf(' '))).getConfig().getLabels())
                    .containsEntry(DockerBackend.LABEL_FUNCTION, "volume-reader");
            assertThat(containers.client().inspectVolumeCmd(volumeName).exec().getName()).isEqualTo(volumeName);

            engine.close();
            assertThat(containers.all()).isEmpty();
        } finally {
            removeVolume(volumeName);
        }
    }

    @Test
    void mountShowsContainerFilesOnHost() throws Exception {
        Files.writeString(folder.resolve("from-host.txt"), "written on the host");
        try (Engine engine = Engine.embedded(); EngineContainers containers = new EngineContainers(engine)) {
            Function<String> copier = App.named("docker-mounts", engine).function("copier",
                    DOCKER.mount(folder, "/host"), () -> {
                        String text = Files.readString(Path.of("/host/from-host.txt"));
                        Files.writeString(Path.of("/host/from-container.txt"), text + ", copied in a container");
                        return WorkerFiles.hostName();
                    });

            String hostName = copier.spawn().get(WAIT);

            assertThat(Files.readString(folder.resolve("from-container.txt")))
                    .isEqualTo("written on the host, copied in a container");
            assertThat(containers.inspectByHostName(hostName).getConfig().getLabels())
                    .containsEntry(DockerBackend.LABEL_FUNCTION, "copier");

            engine.close();
            assertThat(containers.all()).isEmpty();
        }
    }

    @Test
    void secretValuesStayOutOfLogs() throws Exception {
        String secretValue = "secret-" + UUID.randomUUID();
        Secret secret = Secret.fromMap("log-token", Map.of("SKIFF_IT_TOKEN", secretValue));
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        String engineId;
        // slf4j-simple 2.0 reads System.err at each message unless cacheOutputStream is set, so the
        // engine's log reaches the capture.
        System.setErr(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
        try {
            try (Engine engine = Engine.embedded(); EngineContainers containers = new EngineContainers(engine)) {
                engineId = engine.id();
                Function<String> f = App.named("docker-secrets", engine).function("reads-secret",
                        DOCKER.secrets(secret).env(Map.of("SKIFF_IT_MODE", "plain-value")),
                        () -> System.getenv("SKIFF_IT_MODE") + " " + System.getenv("SKIFF_IT_TOKEN").length());

                assertThat(f.spawn().get(WAIT)).isEqualTo("plain-value " + secretValue.length());

                engine.close();
                assertThat(containers.all()).isEmpty();
            }
        } finally {
            System.setErr(original);
        }

        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("INFO dev.skiff.docker.DockerBackend - Started worker wk-");
        assertThat(log)
                .contains("DEBUG dev.skiff.engine.Scheduler - Engine " + engineId + ": connecting to worker wk-");
        assertThat(log).contains("INFO dev.skiff.docker.DockerBackend - Docker backend of engine " + engineId
                + " closed");
        assertThat(log).doesNotContain(secretValue);
    }

    private static String newVolumeName() {
        return "skiff-it-" + UUID.randomUUID().toString().substring(0, 13);
    }

    /** Removes a test's volume. Docker creates a volume when a container first mounts it, so it may not exist. */
    private static void removeVolume(String name) {
        try (DockerConnection docker = DockerConnection.fromEnvironment()) {
            docker.client().removeVolumeCmd(name).exec();
        } catch (NotFoundException e) {
            // The test failed before any container mounted the volume.
        }
    }

    /** Writes everything to two streams: the original standard error and a capture. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }

        @Override
        public synchronized void flush() throws IOException {
            first.flush();
            second.flush();
        }
    }
}
