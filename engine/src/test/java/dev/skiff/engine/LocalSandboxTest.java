package dev.skiff.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.ContainerProcess;
import dev.skiff.ExecOptions;
import dev.skiff.Image;
import dev.skiff.InvalidException;
import dev.skiff.NotFoundException;
import dev.skiff.Sandbox;
import dev.skiff.SandboxOptions;
import dev.skiff.SandboxSnapshot;
import dev.skiff.SandboxTerminatedException;
import dev.skiff.SandboxTimeoutException;
import dev.skiff.Secret;
import dev.skiff.SkiffException;
import dev.skiff.SkiffHome;
import dev.skiff.Tunnel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The local sandbox backend with real processes: commands, exit codes, process groups, files, snapshots, tunnels. */
@Timeout(120)
class LocalSandboxTest {
    private static final SandboxOptions LOCAL = SandboxOptions.defaults().backend("local");

    @Test
    void execRunsInPrivateFolderWithSeparateStreams() throws Exception {
        Sandbox sandbox = Sandbox.create(LOCAL.env(Map.of("GREETING", "hello")));
        try {
            ContainerProcess process = sandbox.exec("sh", "-c", "echo \"$GREETING\"; pwd; echo oops >&2; exit 3");
            String[] lines = process.stdout().text().split("\n");
            assertThat(lines[0]).isEqualTo("hello");
            assertThat(Path.of(lines[1])).isEqualTo(SkiffHome.path().resolve("sandboxes").resolve(sandbox.objectId())
                    .resolve("root").toRealPath());
            assertThat(process.stderr().text()).isEqualTo("oops\n");
            assertThat(process.waitFor()).isEqualTo(3);
            assertThat(process.poll()).isEqualTo(3);
        } finally {
            sandbox.terminate();
        }
        assertThat(SkiffHome.path().resolve("sandboxes").resolve(sandbox.objectId())).doesNotExist();
    }

    @Test
    void workdirsAndSecretsApplyToCommands() throws Exception {
        Sandbox sandbox = Sandbox.create(LOCAL.workdir("/srv/app").secrets(Secret.fromMap("token",
                Map.of("TOKEN", "s3cret"))));
        try {
            ContainerProcess inWorkdir = sandbox.exec("sh", "-c", "basename \"$PWD\"; echo \"$TOKEN\"");
            assertThat(inWorkdir.stdout().text()).isEqualTo("app\ns3cret\n");
            ContainerProcess elsewhere = sandbox.exec(ExecOptions.defaults().workdir("/data").env(Map.of("X", "1")),
                    "sh", "-c", "basename \"$PWD\"; echo \"$X\"");
            assertThat(elsewhere.stdout().text()).isEqualTo("data\n1\n");
            assertThat(sandbox.ls("/")).containsExactly("data", "srv");
        } finally {
            sandbox.terminate();
        }
    }

    @Test
    void stdinCloseDeliversEndOfFile() throws Exception {
        Sandbox sandbox = Sandbox.create(LOCAL);
        try {
            ContainerProcess cat = sandbox.exec("cat");
            try (OutputStream stdin = cat.stdin()) {
                stdin.write("line one\nline two\n".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(cat.stdout().text()).isEqualTo("line one\nline two\n");
            assertThat(cat.waitFor()).isZero();
        } finally {
            sandbox.terminate();
        }
    }

    @Test
    void execTimeoutGivesMinusOne() throws Exception {
        Sandbox sandbox = Sandbox.create(LOCAL);
        try {
            ContainerProcess slow = sandbox.exec(ExecOptions.defaults().timeout(Duration.ofSeconds(1)), "sleep", "30");
            assertThat(slow.waitFor()).isEqualTo(-1);
            assertThat(sandbox.poll()).isNull();
        } finally {
            sandbox.terminate();
        }
    }

    @Test
    void terminateKillsSigtermIgnoringGroups() throws Exception {
        Sandbox sandbox = Sandbox.create(LOCAL.command("sh", "-c", "trap '' TERM; sleep 300 & wait"));
        ContainerProcess command = sandbox.exec("sh", "-c", "trap '' TERM; sleep 300 & echo $!; wait");
        long child = Long.parseLong(command.stdout().readLine());
        assertThat(ProcessHandle.of(child)).isPresent();
        sandbox.terminate();
        assertThat(sandbox.poll()).isEqualTo(137);
        assertThat(sandbox.waitFor()).isEqualTo(137);
        assertThat(command.waitFor()).isEqualTo(137);
        ProcessHandle.of(child).ifPresent(handle -> handle.onExit().orTimeout(10, TimeUnit.SECONDS).join());
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThatThrownBy(() -> sandbox.waitFor(true)).isInstanceOf(SandboxTerminatedException.class)
                .hasMessage("Sandbox " + sandbox.objectId() + " was terminated (exit code 137).");
        assertThatThrownBy(() -> sandbox.exec("true")).isInstanceOf(SkiffException.class)
                .hasMessageContaining("has ended with exit code 137");
    }

    @Test
    void timeoutEndsSandboxWith124() throws Exception {
        Sandbox sandbox = Sandbox.create(LOCAL.timeout(Duration.ofSeconds(1)));
        assertThat(sandbox.waitFor()).isEqualTo(124);
        assertThatThrownBy(() -> sandbox.waitFor(true)).isInstanceOf(SandboxTimeoutException.class)
                .hasMessage("Sandbox " + sandbox.objectId() + " ran past its timeout (exit code 124).");
        assertThat(SkiffHome.path().resolve("sandboxes").resolve(sandbox.objectId())).doesNotExist();
    }

    @Test
    void mainExitCodeIsSandboxExitCode() throws Exception {
        Sandbox sandbox = Sandbox.create(LOCAL.command("sh", "-c", "exit 7"));
        try {
            assertThat(sandbox.waitFor(true)).isEqualTo(7);
            assertThat(sandbox.poll()).isEqualTo(7);
        } finally {
            sandbox.terminate();
        }
        assertThat(sandbox.poll()).isEqualTo(7);
    }

    @Test
    void filesCanBeWrittenReadListedAndRemoved() throws Exception {
        Sandbox sandbox = Sandbox.create(LOCAL);
        String id = sandbox.objectId();
        try {
            sandbox.writeText("/data/in/notes.txt", "first\n");
            assertThat(sandbox.readText("/data/in/notes.txt")).isEqualTo("first\n");
            assertThat(sandbox.exec("cat", "data/in/notes.txt").stdout().text()).isEqualTo("first\n");
            sandbox.exec("sh", "-c", "echo made > data/made.txt").waitFor();
            assertThat(sandbox.ls("/data")).containsExactly("in", "made.txt");
            sandbox.mkdir("/data/out");
            sandbox.mkdir("/deep/a/b", true);
            sandbox.mkdir("/deep/a/b", true);
            assertThat(sandbox.ls("/deep/a")).containsExactly("b");

            assertThatThrownBy(() -> sandbox.mkdir("/data/out")).isInstanceOf(SkiffException.class)
                    .hasMessage("Cannot create the folder /data/out in sandbox " + id + ": it exists already; use "
                            + "mkdir(path, true) to accept an existing folder.");
            assertThatThrownBy(() -> sandbox.mkdir("/none/x")).isInstanceOf(NotFoundException.class)
                    .hasMessage("Cannot create /none/x in sandbox " + id + ": its parent folder does not exist; "
                            + "create the parents too with mkdir(path, true).");
            assertThatThrownBy(() -> sandbox.readText("/data/missing.txt")).isInstanceOf(NotFoundException.class)
                    .hasMessage("No file or folder /data/missing.txt in sandbox " + id + ".");
            assertThatThrownBy(() -> sandbox.readText("/data")).isInstanceOf(InvalidException.class)
                    .hasMessage("/data in sandbox " + id + " is a folder, not a file; list it with ls(\"/data\").");
            assertThatThrownBy(() -> sandbox.ls("/data/made.txt")).isInstanceOf(InvalidException.class)
                    .hasMessage("/data/made.txt in sandbox " + id + " is not a folder; read it with "
                            + "readBytes(\"/data/made.txt\").");
            assertThatThrownBy(() -> sandbox.rm("/data")).isInstanceOf(InvalidException.class)
                    .hasMessage("Cannot remove /data in sandbox " + id + ": the folder is not empty; remove it with "
                            + "everything in it with rm(path, true).");
            assertThatThrownBy(() -> sandbox.readText("data/made.txt")).isInstanceOf(InvalidException.class)
                    .hasMessage("Invalid path 'data/made.txt' for readText: give an absolute path in the sandbox, "
                            + "such as /tmp/data.txt.");
            assertThatThrownBy(() -> sandbox.rm("/../")).isInstanceOf(InvalidException.class)
                    .hasMessage("Invalid path '/../' for rm: it names the root folder; give a path below it, such as "
                            + "/tmp/data.");

            sandbox.rm("/data/made.txt");
            sandbox.rm("/data/out");
            sandbox.rm("/data", true);
            assertThat(sandbox.ls("/")).containsExactly("deep");
            sandbox.writeText("/deep/x.txt", "normalized");
            assertThat(sandbox.readText("//deep/./a/b/../../x.txt")).isEqualTo("normalized");
        } finally {
            sandbox.terminate();
        }
    }

    @Test
    void snapshotCarriesFilesIntoANewSandbox() throws Exception {
        String label = "local-test-" + UUID.randomUUID();
        Sandbox first = Sandbox.create(LOCAL);
        SandboxSnapshot snapshot;
        try {
            first.exec("sh", "-c", "mkdir -p models && echo weights > models/m.bin && chmod 600 models/m.bin").waitFor();
            snapshot = SandboxSnapshot.create(first, label);
        } finally {
            first.terminate();
        }
        assertThat(snapshot.backend()).isEqualTo("local");
        Image image = snapshot.deploy(label + "-deployed");
        assertThat(image.snapshotBackend()).isEqualTo("local");
        Sandbox second = Sandbox.create(LOCAL.image(image));
        try {
            assertThat(second.readText("/models/m.bin")).isEqualTo("weights\n");
            assertThat(second.exec("stat", "-c", "%a", "models/m.bin").stdout().text()).isEqualTo("600\n");
        } finally {
            second.terminate();
        }
        assertThat(SandboxSnapshot.fromName(label).label()).isEqualTo(label);
        assertThat(SandboxSnapshot.fromName(label + "-deployed").backend()).isEqualTo("local");
        snapshot.delete();
        SandboxSnapshot.fromName(label + "-deployed").delete();
        assertThatThrownBy(() -> SandboxSnapshot.fromName(label)).isInstanceOf(NotFoundException.class)
                .hasMessage("No sandbox snapshot is labelled '" + label + "'; create one with "
                        + "SandboxSnapshot.create(sandbox, \"" + label + "\").");
    }

    @Test
    void tunnelIsThePortItself(@TempDir Path folder) throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Sandbox sandbox = Sandbox.create(LOCAL.ports(port));
        try {
            sandbox.writeText("/Serve.java", """
                    import com.sun.net.httpserver.HttpServer;
                    import java.net.InetSocketAddress;
                    public class Serve {
                        public static void main(String[] args) throws Exception {
                            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 0);
                            server.createContext("/", exchange -> {
                                byte[] body = "served from the sandbox\\n".getBytes();
                                exchange.sendResponseHeaders(200, body.length);
                                exchange.getResponseBody().write(body);
                                exchange.close();
                            });
                            server.start();
                            System.out.println("listening");
                        }
                    }
                    """);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ContainerProcess server = sandbox.exec(java, "Serve.java", Integer.toString(port));
            assertThat(server.stdout().readLine()).isEqualTo("listening");
            Tunnel tunnel = sandbox.tunnel(port);
            assertThat(tunnel).isEqualTo(new Tunnel("127.0.0.1", port));
            assertThat(sandbox.tunnels()).isEqualTo(Map.of(port, tunnel));
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(tunnel.url() + "/")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("served from the sandbox\n");
        } finally {
            sandbox.terminate();
        }
    }

    @Test
    void lookupByIdNameAndTags() throws Exception {
        String run = UUID.randomUUID().toString();
        Sandbox named = Sandbox.create(LOCAL.app("local-test").name("box-" + run.substring(0, 8))
                .tags(Map.of("run", run)));
        try {
            assertThat(Sandbox.fromId(named.objectId()).objectId()).isEqualTo(named.objectId());
            assertThat(Sandbox.fromName("local-test", "box-" + run.substring(0, 8)).objectId())
                    .isEqualTo(named.objectId());
            assertThat(Sandbox.list(Map.of("run", run))).extracting(Sandbox::objectId).containsExactly(named.objectId());
            named.setTags(Map.of("run", run, "stage", "two"));
            assertThat(Sandbox.list(Map.of("stage", "two"))).extracting(Sandbox::objectId)
                    .containsExactly(named.objectId());
            assertThatThrownBy(() -> Sandbox.create(LOCAL.app("local-test").name("box-" + run.substring(0, 8))))
                    .isInstanceOf(InvalidException.class)
                    .hasMessage("A sandbox named 'box-" + run.substring(0, 8) + "' already runs in the app "
                            + "'local-test'; terminate it, or choose another name.");
        } finally {
            named.terminate();
        }
        assertThatThrownBy(() -> Sandbox.fromId(named.objectId())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void optionsThatNeedContainersAreRejected() {
        assertThatThrownBy(() -> Sandbox.create(LOCAL.memory(512).cpu(1).blockNetwork(true)))
                .isInstanceOf(InvalidException.class)
                .hasMessage("The local sandbox backend cannot apply cpu 1.0, memory 512 MiB, blockNetwork: it runs "
                        + "processes on this machine without containers, and takes only images of its own snapshots. "
                        + "Remove these options, or choose backend(\"docker\").");
        assertThatThrownBy(() -> Sandbox.create(LOCAL.image(Image.debianSlim())))
                .isInstanceOf(InvalidException.class)
                .hasMessageStartingWith("The local sandbox backend cannot apply image Image.debianSlim():");
        assertThatThrownBy(() -> SandboxOptions.defaults().backend("k8s")).isInstanceOf(InvalidException.class)
                .hasMessage("Unknown sandbox backend 'k8s': use local or docker.");
    }

    @Test
    void killedJvmSandboxesRemovedByNext(@TempDir Path home) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dskiff.home=" + home,
                LocalSandboxChild.class.getName()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String line;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            line = out.readLine();
        }
        assertThat(line).matches("sandbox=sb-[0-9a-f]{24} pid=\\d+");
        String sandboxId = line.substring("sandbox=".length(), line.indexOf(' '));
        long pid = Long.parseLong(line.substring(line.indexOf("pid=") + 4));
        child.destroyForcibly().waitFor();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("setsid keeps the command running").contains(true);
        assertThat(home.resolve("sandboxes").resolve(sandboxId)).exists();

        LocalSandboxes next = new LocalSandboxes(home);
        LocalSandbox sandbox = next.create(LOCAL);
        try {
            ProcessHandle.of(pid).ifPresent(handle -> handle.onExit().orTimeout(10, TimeUnit.SECONDS).join());
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(home.resolve("sandboxes").resolve(sandboxId)).doesNotExist();
        } finally {
            sandbox.terminate();
        }
        assertThat(Files.list(home.resolve("sandboxes")).toList()).isEqualTo(List.of());
    }

    @Test
    void terminateKillsBackgroundJobsOfFinishedCommands() throws Exception {
        Sandbox sandbox = Sandbox.create(LOCAL);
        ContainerProcess starter = sandbox.exec("sh", "-c", "sleep 300 >/dev/null 2>&1 & echo $!");
        long background = Long.parseLong(starter.stdout().readLine());
        assertThat(starter.waitFor()).isZero();
        assertThat(ProcessHandle.of(background).map(ProcessHandle::isAlive)).contains(true);
        sandbox.terminate();
        ProcessHandle.of(background).ifPresent(handle -> handle.onExit().orTimeout(10, TimeUnit.SECONDS).join());
        assertThat(ProcessHandle.of(background).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void workdirCannotClimbOutOfTheFolder() throws Exception {
        Sandbox sandbox = Sandbox.create(LOCAL.workdir("/../../../escape"));
        Path root = SkiffHome.path().resolve("sandboxes").resolve(sandbox.objectId()).resolve("root");
        try {
            assertThat(Path.of(sandbox.exec("pwd").stdout().text().strip())).isEqualTo(root.resolve("escape").toRealPath());
            assertThat(sandbox.exec(ExecOptions.defaults().workdir("/a/../../b"), "pwd").stdout().text().strip())
                    .isEqualTo(root.resolve("b").toRealPath().toString());
        } finally {
            sandbox.terminate();
        }
        assertThat(root.getParent()).doesNotExist();
    }

    @Test
    void specialFilesAreRejected() throws Exception {
        Sandbox sandbox = Sandbox.create(LOCAL);
        String id = sandbox.objectId();
        try {
            assertThat(sandbox.exec("mkfifo", "pipe").waitFor()).isZero();
            assertThatThrownBy(() -> sandbox.readBytes("/pipe")).isInstanceOf(InvalidException.class)
                    .hasMessage("/pipe in sandbox " + id + " is not a regular file (a device, a FIFO or a socket), "
                            + "which readBytes and writeBytes do not handle; use exec with cat or tee instead.");
            sandbox.writeText("/pipe", "replaced");
            assertThat(sandbox.readText("/pipe")).as("a write replaces the FIFO instead of blocking on it")
                    .isEqualTo("replaced");
        } finally {
            sandbox.terminate();
        }
    }

    @Test
    void concurrentWritesKeepOneWholeContent() throws Exception {
        Sandbox sandbox = Sandbox.create(LOCAL);
        try {
            List<String> contents = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                contents.add(Character.toString('a' + i).repeat(200_000));
            }
            contents.parallelStream().forEach(text -> sandbox.writeText("/same.txt", text));
            assertThat(contents).contains(sandbox.readText("/same.txt"));
            assertThat(sandbox.ls("/")).containsExactly("same.txt");
        } finally {
            sandbox.terminate();
        }
    }
}
