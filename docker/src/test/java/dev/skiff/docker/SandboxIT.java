package dev.skiff.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import dev.skiff.ContainerProcess;
import dev.skiff.ExecOptions;
import dev.skiff.InvalidException;
import dev.skiff.NotFoundException;
import dev.skiff.ProcessOutput;
import dev.skiff.Sandbox;
import dev.skiff.SandboxOptions;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Sandboxes on the local Docker daemon: commands, their streams and exit codes, timeouts, terminate, fromId, tags. */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SandboxIT {
    private static DockerConnection docker;
    /** A sandbox shared by the tests that only run commands. */
    private static Sandbox shared;

    @BeforeAll
    static void connect() {
        docker = DockerConnection.fromEnvironment();
        shared = Sandbox.create(SandboxOptions.defaults().timeout(Duration.ofMinutes(10)));
    }

    @AfterAll
    static void close() {
        if (shared != null) {
            shared.terminate();
        }
        docker.close();
    }

    private static List<Container> containersOf(Sandbox sandbox) {
        return docker.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerSandboxes.LABEL_SANDBOX, sandbox.objectId())).exec();
    }

    private static void awaitRemoved(Sandbox sandbox) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!containersOf(sandbox).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(containersOf(sandbox)).as("containers of %s", sandbox.objectId()).isEmpty();
    }

    @Test
    void execEchoPrintsHi() throws Exception {
        ContainerProcess process = shared.exec("echo", "hi");
        assertThat(process.stdout().text()).isEqualTo("hi\n");
        assertThat(process.waitFor()).isZero();
        assertThat(process.poll()).isZero();
    }

    @Test
    void stderrIsSeparate() throws Exception {
        ContainerProcess process = shared.exec("sh", "-c", "echo out; echo err >&2");
        assertThat(process.stdout().text()).isEqualTo("out\n");
        assertThat(process.stderr().text()).isEqualTo("err\n");
        assertThat(process.waitFor()).isZero();
    }

    @Test
    void nonZeroExitCode() throws Exception {
        ContainerProcess process = shared.exec("sh", "-c", "exit 3");
        assertThat(process.waitFor()).isEqualTo(3);
    }

    @Test
    void execWithoutCommandRejected() {
        assertThatThrownBy(() -> shared.exec()).isInstanceOf(InvalidException.class)
                .hasMessage("Invalid command []: exec needs a program to run, such as exec(\"ls\", \"/\").");
    }

    @Test
    void missingProgramExits127() throws Exception {
        ContainerProcess process = shared.exec("no-such-program");
        assertThat(process.waitFor()).isEqualTo(127);
        assertThat(process.stderr().text()).contains("no-such-program");
    }

    @Test
    void missingMainCommandIsNamed() {
        assertThatThrownBy(() -> Sandbox.create("no-such-program", "--flag"))
                .isInstanceOf(InvalidException.class)
                .hasMessageContaining(": its command [no-such-program, --flag] is not in the image ")
                .hasMessageContaining("executable file not found in $PATH")
                .hasMessageEndingWith("Install the program in the image, or give its full path.")
                .hasMessageNotContaining("{\"message\"");
    }

    @Test
    void stdinEndOfFileReachesCat() throws Exception {
        byte[] input = new byte[300_000];
        new Random(7).nextBytes(input);
        ContainerProcess process = shared.exec("cat");
        try (OutputStream stdin = process.stdin()) {
            stdin.write(input, 0, 1000);
            stdin.flush();
            stdin.write(input, 1000, input.length - 1000);
        }
        assertThat(process.stdout().readAll()).isEqualTo(input);
        assertThat(process.waitFor()).isZero();
    }

    @Test
    void stdinLinesWhileRunning() throws Exception {
        ContainerProcess process = shared.exec("sh", "-c", "while read -r line; do echo \"got $line\"; done");
        OutputStream stdin = process.stdin();
        ProcessOutput stdout = process.stdout();
        stdin.write("one\n".getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        assertThat(stdout.readLine()).isEqualTo("got one");
        stdin.write("two\n".getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        assertThat(stdout.readLine()).isEqualTo("got two");
        assertThat(process.poll()).isNull();
        stdin.close();
        assertThat(stdout.readLine()).isNull();
        assertThat(process.waitFor()).isZero();
    }

    @Test
    void linesArriveWhileProcessRuns() throws Exception {
        ContainerProcess process = shared.exec("sh", "-c", "echo first; sleep 3; echo second");
        long started = System.nanoTime();
        assertThat(process.stdout().readLine()).isEqualTo("first");
        assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(3));
        assertThat(process.poll()).isNull();
        assertThat(process.stdout().readLine()).isEqualTo("second");
        assertThat(process.stdout().readLine()).isNull();
        assertThat(process.waitFor()).isZero();
    }

    @Test
    void execOptionsSetWorkdirAndEnv() throws Exception {
        ContainerProcess process = shared.exec(ExecOptions.defaults().workdir("/usr").env(Map.of("GREETING", "hello")),
                "sh", "-c", "pwd; echo $GREETING");
        assertThat(process.stdout().text()).isEqualTo("/usr\nhello\n");
        assertThat(process.waitFor()).isZero();
    }

    @Test
    void finishedExecsLeaveNoProcesses() throws Exception {
        Sandbox sandbox = Sandbox.create();
        try {
            for (int i = 0; i < 3; i++) {
                assertThat(sandbox.exec("true").waitFor()).isZero();
            }
            ContainerProcess timedOut = sandbox.exec(ExecOptions.defaults().timeout(Duration.ofSeconds(1)), "sleep", "60");
            assertThat(timedOut.waitFor()).isEqualTo(-1);
            String listing = "";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                // Every process but the sandbox's sleep (pid 1) and this listing's own processes, whose
                // command lines contain the listing's script.
                ContainerProcess list = sandbox.exec("sh", "-c",
                        "for p in /proc/[0-9]*; do [ \"${p#/proc/}\" = 1 ] || tr '\\0' ' ' < $p/cmdline; echo; done");
                listing = list.stdout().lines().filter(line -> !line.isBlank() && !line.contains("for p in /proc"))
                        .collect(java.util.stream.Collectors.joining("\n"));
                list.waitFor();
                if (listing.isBlank()) {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(listing).as("processes left in the sandbox").isBlank();
        } finally {
            sandbox.terminate();
        }
    }

    @Test
    void execPastTimeoutGivesMinusOne() throws Exception {
        long started = System.nanoTime();
        ContainerProcess process = shared.exec(ExecOptions.defaults().timeout(Duration.ofSeconds(1)), "sleep", "60");
        assertThat(process.waitFor()).isEqualTo(-1);
        assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(20));
        assertThat(shared.poll()).isNull();
    }

    @Test
    void sandboxPastTimeoutGives124AndIsRemoved() throws Exception {
        Sandbox sandbox = Sandbox.create(SandboxOptions.defaults().timeout(Duration.ofSeconds(2)));
        assertThat(sandbox.poll()).isNull();
        assertThat(sandbox.waitFor()).isEqualTo(124);
        awaitRemoved(sandbox);
        assertThat(sandbox.poll()).isEqualTo(124);
    }

    @Test
    void terminateKillsProcessIgnoringSigterm() throws Exception {
        Sandbox sandbox = Sandbox.create("sh", "-c", "trap '' TERM; sleep 600");
        assertThat(sandbox.poll()).isNull();
        long started = System.nanoTime();
        sandbox.terminate();
        assertThat(sandbox.waitFor()).isEqualTo(137);
        assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(20));
        assertThat(containersOf(sandbox)).isEmpty();
    }

    @Test
    void terminateBeforeCommandStartsGives137() throws Exception {
        Sandbox sandbox = Sandbox.create();
        ContainerProcess process = sandbox.exec("sleep", "600");
        sandbox.terminate();
        assertThat(process.waitFor()).isEqualTo(137);
    }

    @Test
    void terminateEndsRunningCommand() throws Exception {
        Sandbox sandbox = Sandbox.create();
        ContainerProcess process = sandbox.exec("sh", "-c", "echo started; sleep 600");
        assertThat(process.stdout().readLine()).isEqualTo("started");
        assertThat(process.poll()).isNull();
        sandbox.terminate();
        assertThat(process.waitFor()).isEqualTo(137);
        assertThatThrownBy(() -> sandbox.exec("true")).hasMessageContaining("has ended with exit code 137");
    }

    @Test
    void mainCommandExitCode() throws Exception {
        Sandbox sandbox = Sandbox.create("sh", "-c", "exit 5");
        try {
            assertThat(sandbox.waitFor()).isEqualTo(5);
        } finally {
            sandbox.terminate();
        }
        assertThat(sandbox.poll()).isEqualTo(5);
        assertThat(containersOf(sandbox)).isEmpty();
    }

    @Test
    void exitedSandboxKeepsExitCodeAfterTimeout() throws Exception {
        Sandbox sandbox = Sandbox.create(SandboxOptions.defaults().command("sh", "-c", "exit 5")
                .timeout(Duration.ofSeconds(2)));
        assertThat(sandbox.waitFor()).isEqualTo(5);
        awaitRemoved(sandbox);
        assertThat(sandbox.poll()).isEqualTo(5);
    }

    @Test
    void containerHasLabelsAndLimits() {
        Sandbox sandbox = Sandbox.create(SandboxOptions.defaults().app("sandbox-it").name("labelled-" + UUID.randomUUID())
                .memory(256).cpu(0.5).workdir("/srv").tags(Map.of("team", "data")));
        try {
            InspectContainerResponse container = docker.client().inspectContainerCmd(
                    containersOf(sandbox).get(0).getId()).exec();
            Map<String, String> labels = container.getConfig().getLabels();
            assertThat(labels).containsEntry(DockerSandboxes.LABEL_SANDBOX, sandbox.objectId());
            assertThat(labels).containsEntry("dev.skiff.app", "sandbox-it");
            assertThat(labels).containsKey(DockerSandboxes.LABEL_NAME);
            assertThat(labels).containsEntry("dev.skiff.tag.team", "data");
            assertThat(container.getHostConfig().getMemory()).isEqualTo(256L * 1024 * 1024);
            assertThat(container.getHostConfig().getNanoCPUs()).isEqualTo(500_000_000L);
            assertThat(container.getHostConfig().getCapDrop()).isNotEmpty();
            assertThat(container.getHostConfig().getSecurityOpts()).contains("no-new-privileges");
            assertThat(container.getConfig().getWorkingDir()).isEqualTo("/srv");
        } finally {
            sandbox.terminate();
        }
    }

    @Test
    void nameIsUniquePerApp() {
        String name = "unique-" + UUID.randomUUID();
        SandboxOptions options = SandboxOptions.defaults().app("sandbox-it").name(name);
        Sandbox first = Sandbox.create(options);
        try {
            assertThatThrownBy(() -> Sandbox.create(options)).isInstanceOf(InvalidException.class)
                    .hasMessage("A sandbox named '" + name + "' already runs in the app 'sandbox-it'; terminate it, "
                            + "or choose another name.");
            assertThat(Sandbox.fromName("sandbox-it", name).objectId()).isEqualTo(first.objectId());
            Sandbox otherApp = Sandbox.create(options.app("sandbox-it-other"));
            assertThat(Sandbox.fromName("sandbox-it-other", name).objectId()).isEqualTo(otherApp.objectId());
            otherApp.terminate();
        } finally {
            first.terminate();
        }
        assertThatThrownBy(() -> Sandbox.fromName("sandbox-it", name)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("No sandbox is named '" + name + "' in the app 'sandbox-it'");
    }

    @Test
    void blockNetworkLeavesOnlyLoopback() throws Exception {
        Sandbox sandbox = Sandbox.create(SandboxOptions.defaults().blockNetwork(true));
        try {
            ContainerProcess process = sandbox.exec("sh", "-c", "ls /sys/class/net");
            assertThat(process.stdout().text()).isEqualTo("lo\n");
            assertThat(process.waitFor()).isZero();
        } finally {
            sandbox.terminate();
        }
    }

    @Test
    void fromIdInSecondJvm(@TempDir Path folder) throws Exception {
        Sandbox sandbox = Sandbox.create();
        try {
            Path errors = folder.resolve("child-errors.txt");
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), SandboxChild.class.getName(), sandbox.objectId());
            Process child = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as("child exit; its errors: %s", Files.readString(errors)).isZero();
            assertThat(output).contains("poll=null\n", "stdout=child ran\n", "exit=0\n");

            ContainerProcess check = sandbox.exec("cat", "/tmp/child-mark");
            assertThat(check.stdout().text()).isEqualTo("from-child\n");
            assertThat(sandbox.poll()).as("the child JVM's exit leaves the sandbox running").isNull();
        } finally {
            sandbox.terminate();
        }
        assertThatThrownBy(() -> Sandbox.fromId(sandbox.objectId())).isInstanceOf(NotFoundException.class)
                .hasMessageContaining(sandbox.objectId());
    }

    @Test
    void listByTags() {
        String run = UUID.randomUUID().toString();
        Sandbox red = Sandbox.create(SandboxOptions.defaults().tags(Map.of("run", run, "color", "red")));
        Sandbox blue = Sandbox.create(SandboxOptions.defaults().tags(Map.of("run", run, "color", "blue")));
        try {
            assertThat(ids(Sandbox.list(Map.of("run", run)))).containsExactlyInAnyOrder(red.objectId(), blue.objectId());
            assertThat(ids(Sandbox.list(Map.of("run", run, "color", "red")))).containsExactly(red.objectId());
            assertThat(blue.tags()).isEqualTo(Map.of("run", run, "color", "blue"));

            blue.setTags(Map.of("run", run, "color", "red", "changed", "yes"));
            assertThat(blue.tags()).isEqualTo(Map.of("run", run, "color", "red", "changed", "yes"));
            assertThat(ids(Sandbox.list(Map.of("run", run, "color", "red"))))
                    .containsExactlyInAnyOrder(red.objectId(), blue.objectId());
            assertThat(ids(Sandbox.list(Map.of("run", run, "changed", "yes")))).containsExactly(blue.objectId());
        } finally {
            red.terminate();
            blue.terminate();
        }
        assertThat(Sandbox.list(Map.of("run", run))).isEmpty();
    }

    private static List<String> ids(List<Sandbox> sandboxes) {
        List<String> ids = new ArrayList<>();
        sandboxes.forEach(sandbox -> ids.add(sandbox.objectId()));
        return ids;
    }
}
