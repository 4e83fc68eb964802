package dev.skiff.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Container;
import dev.skiff.ContainerProcess;
import dev.skiff.Sandbox;
import dev.skiff.SandboxOptions;
import dev.skiff.Tunnel;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Sandboxes under load: many at once, a large output stream, an idle timeout, and an HTTP request through a tunnel. */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class SandboxLoadIT {
    @Test
    void fiftySandboxesAtOnce() throws Exception {
        String run = UUID.randomUUID().toString();
        SandboxOptions options = SandboxOptions.defaults().memory(64).tags(Map.of("run", run))
                .timeout(Duration.ofMinutes(5));
        ExecutorService threads = Executors.newFixedThreadPool(10);
        List<Future<String>> outputs = new ArrayList<>();
        List<Sandbox> sandboxes = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            for (int i = 0; i < 50; i++) {
                int index = i;
                outputs.add(threads.submit(() -> {
                    Sandbox sandbox = Sandbox.create(options);
                    sandboxes.add(sandbox);
                    ContainerProcess process = sandbox.exec("echo", "sandbox " + index);
                    String text = process.stdout().text();
                    assertThat(process.waitFor()).isZero();
                    return text;
                }));
            }
            for (int i = 0; i < 50; i++) {
                assertThat(outputs.get(i).get(4, TimeUnit.MINUTES)).isEqualTo("sandbox " + i + "\n");
            }
            assertThat(Sandbox.list(Map.of("run", run))).hasSize(50);
        } finally {
            threads.shutdown();
            List<Future<?>> terminations = new ArrayList<>();
            ExecutorService terminators = Executors.newFixedThreadPool(10);
            for (Sandbox sandbox : List.copyOf(sandboxes)) {
                terminations.add(terminators.submit(sandbox::terminate));
            }
            for (Future<?> termination : terminations) {
                termination.get(2, TimeUnit.MINUTES);
            }
            terminators.shutdown();
        }
        assertThat(Sandbox.list(Map.of("run", run))).isEmpty();
    }

    @Test
    void hundredMebibytesOfStdoutArriveWhole() throws Exception {
        Sandbox sandbox = Sandbox.create();
        try {
            // 100 MiB of random bytes, with their SHA-256 on standard error.
            ContainerProcess process = sandbox.exec("sh", "-c",
                    "head -c 104857600 /dev/urandom > /tmp/big && cat /tmp/big && sha256sum /tmp/big >&2");
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[65536];
            long total = 0;
            InputStream stdout = process.stdout();
            int read;
            while ((read = stdout.read(buffer)) != -1) {
                digest.update(buffer, 0, read);
                total += read;
            }
            String stderr = process.stderr().text();
            assertThat(process.waitFor()).isZero();
            assertThat(total).isEqualTo(100L * 1024 * 1024);
            assertThat(stderr).startsWith(HexFormat.of().formatHex(digest.digest()));
        } finally {
            sandbox.terminate();
        }
    }

    @Test
    void idleTimeoutEndsIdleSandbox() throws Exception {
        Sandbox sandbox = Sandbox.create(SandboxOptions.defaults().idleTimeout(Duration.ofSeconds(2)));
        ContainerProcess process = sandbox.exec("sleep", "4");
        assertThat(process.waitFor()).as("a running command keeps the sandbox alive").isZero();
        assertThat(sandbox.poll()).isNull();
        assertThat(sandbox.waitFor()).isEqualTo(124);
    }

    @Test
    void httpRequestReachesServerThroughTunnel() throws Exception {
        Sandbox sandbox = Sandbox.create(SandboxOptions.defaults().ports(8000));
        DockerConnection docker = DockerConnection.fromEnvironment();
        try {
            sandbox.writeText("/srv/index.txt", "served from the sandbox\n");
            // perl-base is in every Debian image. This server replies to each request with the file above.
            ContainerProcess server = sandbox.exec("perl", "-MIO::Socket::INET", "-e",
                    "my $s = IO::Socket::INET->new(LocalAddr => '0.0.0.0:8000', Listen => 5, ReuseAddr => 1) or die; "
                            + "print \"listening\\n\"; $| = 1; "
                            + "while (my $c = $s->accept) { while (my $l = <$c>) { last if $l =~ /^\\r?$/ } "
                            + "open(my $f, '<', '/srv/index.txt'); my $b = do { local $/; <$f> }; "
                            + "print $c \"HTTP/1.0 200 OK\\r\\nContent-Type: text/plain\\r\\nContent-Length: \" "
                            + ". length($b) . \"\\r\\n\\r\\n$b\"; close $c; }");
            assertThat(server.stdout().readLine()).isEqualTo("listening");
            Container container = docker.client().listContainersCmd()
                    .withLabelFilter(Map.of(DockerSandboxes.LABEL_SANDBOX, sandbox.objectId())).exec().get(0);
            int hostPort = container.getPorts()[0].getPublicPort();
            Tunnel tunnel = sandbox.tunnel(8000);
            assertThat(tunnel).isEqualTo(new Tunnel("127.0.0.1", hostPort));
            assertThat(tunnel.url()).isEqualTo("http://127.0.0.1:" + hostPort);
            assertThat(sandbox.tunnels()).isEqualTo(Map.of(8000, tunnel));

            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(tunnel.url() + "/index.txt")).timeout(Duration.ofSeconds(20))
                            .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("served from the sandbox\n");
            assertThat(server.poll()).isNull();
        } finally {
            sandbox.terminate();
            docker.close();
        }
    }
}
