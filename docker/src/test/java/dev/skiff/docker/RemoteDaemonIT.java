package dev.skiff.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerPort;
import dev.skiff.App;
import dev.skiff.Engine;
import dev.skiff.Function;
import dev.skiff.FunctionOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A second Docker daemon on a loopback TCP port with TLS, driven through {@code DOCKER_HOST}, as a
 * remote daemon would be: workers are reached through ports it publishes, not container addresses.
 */
class RemoteDaemonIT {
    private static final Path SCRIPTS = Path.of(System.getProperty("skiff.scripts", "../scripts"));
    private static final List<String> VARIABLES = List.of("DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH");

    private static Path state;
    private static Path certs;
    private static int port;

    @BeforeAll
    static void startSecondDaemon() throws Exception {
        String name = UUID.randomUUID().toString().substring(0, 8);
        state = Path.of("/tmp/skiff-it-" + name);
        certs = Files.createTempDirectory("skiff-it-certs");
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        script("certs", certs.toString());
        script("start", state.toString(), Integer.toString(port), certs.toString(), "--image",
                ImageBuilder.OFFLINE_BASE);
        System.setProperty("DOCKER_HOST", "tcp://127.0.0.1:" + port);
        System.setProperty("DOCKER_TLS_VERIFY", "1");
        System.setProperty("DOCKER_CERT_PATH", certs.toString());
    }

    @AfterAll
    static void stopSecondDaemon() throws Exception {
        VARIABLES.forEach(System::clearProperty);
        if (state != null) {
            script("stop", state.toString());
            // The daemon's data contains a copy of the base image, hundreds of MiB, and its files belong to root.
            Process remove = new ProcessBuilder("rm", "-rf", state.toString(), certs.toString()).inheritIO().start();
            if (!remove.waitFor(60, TimeUnit.SECONDS)) {
                remove.destroyForcibly();
            }
        }
    }

    @Test
    void functionRunsOnTlsDaemonThroughPublishedPorts() throws Exception {
        try (DockerConnection connection = DockerConnection.fromEnvironment()) {
            assertThat(connection.host().toString()).isEqualTo("tcp://127.0.0.1:" + port);
            try (Engine engine = Engine.embedded()) {
                Function<String> where = App.named("remote-daemon", engine).function("where",
                        FunctionOptions.defaults().backend("docker"),
                        (Integer x) -> x * x + " in " + java.net.InetAddress.getLocalHost().getHostName());
                String first = where.remote(6);

                List<Container> containers = connection.client().listContainersCmd()
                        .withLabelFilter(Map.of(DockerBackend.LABEL_ENGINE, engine.id())).exec();
                assertThat(containers).hasSize(1);
                Container container = containers.get(0);
                assertThat(first).isEqualTo("36 in " + container.getId().substring(0, 12));
                assertThat(container.getPorts()).extracting(ContainerPort::getPrivatePort)
                        .containsExactlyInAnyOrder(DockerBackend.SEND_PORT, DockerBackend.RECEIVE_PORT);
                assertThat(container.getPorts()).extracting(ContainerPort::getIp).containsOnly("127.0.0.1");
                assertThat(where.map(List.of(1, 2, 3))).extracting(text -> text.substring(0, text.indexOf(' ')))
                        .containsExactly("1", "4", "9");
            }
            assertThat(connection.client().listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(DockerBackend.LABEL_APP, "remote-daemon")).exec()).isEmpty();
        }
    }

    @Test
    void connectionNamesTheDaemonItCouldNotReach() {
        System.setProperty("DOCKER_HOST", "tcp://127.0.0.1:1");
        System.clearProperty("DOCKER_TLS_VERIFY");
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(DockerConnection::fromEnvironment)
                    .isInstanceOf(dev.skiff.SkiffException.class)
                    .hasMessageStartingWith("Cannot reach the Docker daemon at tcp://127.0.0.1:1 (from DOCKER_HOST): ");
        } finally {
            System.setProperty("DOCKER_HOST", "tcp://127.0.0.1:" + port);
            System.setProperty("DOCKER_TLS_VERIFY", "1");
        }
    }

    private static void script(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", SCRIPTS.resolve("docker-second-daemon.sh")
                .toString()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("skiff-second-daemon", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("docker-second-daemon.sh " + args[0] + " took over 180 s");
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        if (process.exitValue() != 0) {
            throw new IllegalStateException("docker-second-daemon.sh " + String.join(" ", args) + " failed with status "
                    + process.exitValue() + ":\n" + output);
        }
    }
}
