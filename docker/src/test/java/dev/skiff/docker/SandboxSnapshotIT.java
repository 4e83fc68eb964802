package dev.skiff.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.command.InspectImageResponse;
import dev.skiff.App;
import dev.skiff.ContainerProcess;
import dev.skiff.Engine;
import dev.skiff.Function;
import dev.skiff.FunctionOptions;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Files, snapshots, waiting with raiseOnTermination and tunnels of sandboxes on the local Docker daemon. */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SandboxSnapshotIT {
    private static DockerConnection docker;
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

    @Test
    void filesAreWrittenReadListedAndRemoved() throws Exception {
        String id = shared.objectId();
        String root = "/work-" + UUID.randomUUID();
        shared.writeText(root + "/in/notes.txt", "first\n");
        assertThat(shared.readText(root + "/in/notes.txt")).isEqualTo("first\n");
        assertThat(shared.exec("cat", root + "/in/notes.txt").stdout().text()).isEqualTo("first\n");
        shared.exec("sh", "-c", "echo made > " + root + "/made.txt; printf x > '" + root + "/odd\nname'; "
                + "touch " + root + "/.hidden; ln -s made.txt " + root + "/link").waitFor();
        assertThat(shared.ls(root)).containsExactly(".hidden", "in", "link", "made.txt", "odd\nname");
        assertThat(shared.readText(root + "/link")).isEqualTo("made\n");
        shared.writeText(root + "/made.txt", "replaced");
        assertThat(shared.readText(root + "/made.txt")).isEqualTo("replaced");
        shared.mkdir(root + "/out");
        shared.mkdir(root + "/deep/a/b", true);
        shared.mkdir(root + "/deep/a/b", true);
        assertThat(shared.ls(root + "/deep/a")).containsExactly("b");

        assertThatThrownBy(() -> shared.mkdir(root + "/out")).isInstanceOf(SkiffException.class)
                .hasMessage("Cannot create the folder " + root + "/out in sandbox " + id + ": it exists already; use "
                        + "mkdir(path, true) to accept an existing folder.");
        assertThatThrownBy(() -> shared.mkdir(root + "/none/x")).isInstanceOf(NotFoundException.class)
                .hasMessage("Cannot create " + root + "/none/x in sandbox " + id + ": its parent folder does not "
                        + "exist; create the parents too with mkdir(path, true).");
        assertThatThrownBy(() -> shared.readText(root + "/missing.txt")).isInstanceOf(NotFoundException.class)
                .hasMessage("No file or folder " + root + "/missing.txt in sandbox " + id + ".");
        assertThatThrownBy(() -> shared.readText(root + "/in")).isInstanceOf(InvalidException.class)
                .hasMessage(root + "/in in sandbox " + id + " is a folder, not a file; list it with ls(\"" + root
                        + "/in\").");
        assertThatThrownBy(() -> shared.writeText(root + "/in", "x")).isInstanceOf(InvalidException.class)
                .hasMessageStartingWith(root + "/in in sandbox " + id + " is a folder");
        assertThat(shared.ls(root + "/in")).as("a rejected write leaves the folder").containsExactly("notes.txt");
        assertThatThrownBy(() -> shared.ls(root + "/made.txt")).isInstanceOf(InvalidException.class)
                .hasMessage(root + "/made.txt in sandbox " + id + " is not a folder; read it with readBytes(\""
                        + root + "/made.txt\").");
        assertThatThrownBy(() -> shared.ls(root + "/nothing")).isInstanceOf(NotFoundException.class)
                .hasMessage("No file or folder " + root + "/nothing in sandbox " + id + ".");
        assertThatThrownBy(() -> shared.rm(root + "/in")).isInstanceOf(InvalidException.class)
                .hasMessage("Cannot remove " + root + "/in in sandbox " + id + ": the folder is not empty; remove it "
                        + "with everything in it with rm(path, true).");
        assertThatThrownBy(() -> shared.rm(root + "/nothing")).isInstanceOf(NotFoundException.class)
                .hasMessage("No file or folder " + root + "/nothing in sandbox " + id + ".");

        shared.rm(root + "/link");
        assertThat(shared.readText(root + "/made.txt")).as("removing a link keeps its target").isEqualTo("replaced");
        shared.rm(root + "/out");
        shared.rm(root, true);
        assertThat(shared.ls("/")).doesNotContain(root.substring(1));
    }

    @Test
    void binaryFilesKeepEveryByte() {
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(content);
        String path = "/tmp/blob-" + UUID.randomUUID() + ".bin";
        shared.writeBytes(path, content);
        assertThat(shared.readBytes(path)).isEqualTo(content);
    }

    @Test
    void snapshotCarriesFilesIntoSandboxesAndFunctions() throws Exception {
        String label = "it-" + UUID.randomUUID();
        Sandbox first = Sandbox.create(SandboxOptions.defaults().env(Map.of("PLAIN", "visible"))
                .secrets(Secret.fromMap("token", Map.of("API_TOKEN", "s3cret-value")))
                .tags(Map.of("origin", "first")).app("snapshot-it").name("first-" + label.substring(3, 11)));
        SandboxSnapshot snapshot;
        try {
            first.writeText("/models/model.txt", "weights v1\n");
            first.exec("sh", "-c", "chmod 600 /models/model.txt").waitFor();
            snapshot = SandboxSnapshot.create(first, label);
        } finally {
            first.terminate();
        }
        InspectImageResponse image = docker.client().inspectImageCmd(DockerSandboxes.SNAPSHOT_REPOSITORY + ":" + label)
                .exec();
        assertThat(Arrays.asList(image.getConfig().getEnv())).contains("API_TOKEN=", "PLAIN=")
                .noneMatch(variable -> variable.contains("s3cret-value"));
        assertThat(image.getConfig().getLabels()).containsEntry(DockerSandboxes.LABEL_SNAPSHOT, label)
                .containsEntry(DockerSandboxes.LABEL_SANDBOX, "").containsEntry("dev.skiff.tag.origin", "");

        Image deployed = snapshot.deploy(label + "-deployed");
        assertThat(SandboxSnapshot.fromName(label + "-deployed").image()).isEqualTo(deployed);
        Sandbox second = Sandbox.create(SandboxOptions.defaults().image(deployed).tags(Map.of("origin", "second")));
        try {
            assertThat(second.readText("/models/model.txt")).isEqualTo("weights v1\n");
            assertThat(second.exec("stat", "-c", "%a", "/models/model.txt").stdout().text()).isEqualTo("600\n");
            assertThat(second.exec("sh", "-c", "echo \"[$API_TOKEN]\"").stdout().text()).isEqualTo("[]\n");
            assertThat(second.tags()).isEqualTo(Map.of("origin", "second"));
            assertThatThrownBy(() -> Sandbox.fromName("snapshot-it", "first-" + label.substring(3, 11)))
                    .isInstanceOf(NotFoundException.class);
        } finally {
            second.terminate();
        }

        try (Engine engine = Engine.embedded()) {
            Function<String> readModel = App.named("snapshot-it", engine).function("read-model",
                    FunctionOptions.defaults().backend("docker").image(SandboxSnapshot.fromName(label).image()),
                    () -> Files.readString(Path.of("/models/model.txt")).strip());
            assertThat(readModel.remote()).isEqualTo("weights v1");
            assertThat(Sandbox.list(Map.of())).extracting(Sandbox::objectId).doesNotContain("");
        }

        snapshot.delete();
        SandboxSnapshot.fromName(label + "-deployed").delete();
        assertThatThrownBy(() -> SandboxSnapshot.fromName(label)).isInstanceOf(NotFoundException.class)
                .hasMessage("No sandbox snapshot is labelled '" + label + "'; create one with "
                        + "SandboxSnapshot.create(sandbox, \"" + label + "\").");
    }

    @Test
    void snapshotLabelsAreChecked() {
        assertThatThrownBy(() -> SandboxSnapshot.create(shared, "has space")).isInstanceOf(InvalidException.class)
                .hasMessage("Invalid snapshot label 'has space': use 1 to 63 letters, digits, '_', '.' or '-', "
                        + "starting with a letter or digit.");
    }

    @Test
    void waitForRaisesOnTerminationAndTimeout() throws Exception {
        Sandbox terminated = Sandbox.create();
        terminated.terminate();
        assertThat(terminated.waitFor(false)).isEqualTo(137);
        assertThatThrownBy(() -> terminated.waitFor(true)).isInstanceOf(SandboxTerminatedException.class)
                .hasMessage("Sandbox " + terminated.objectId() + " was terminated (exit code 137).");
        assertThatThrownBy(() -> Sandbox.fromId(terminated.objectId())).isInstanceOf(NotFoundException.class);

        Sandbox timedOut = Sandbox.create(SandboxOptions.defaults().timeout(Duration.ofSeconds(2)));
        assertThatThrownBy(() -> timedOut.waitFor(true)).isInstanceOf(SandboxTimeoutException.class)
                .hasMessage("Sandbox " + timedOut.objectId() + " ran past its timeout (exit code 124).");

        Sandbox exited = Sandbox.create("sh", "-c", "exit 5");
        try {
            assertThat(exited.waitFor(true)).isEqualTo(5);
        } finally {
            exited.terminate();
        }
    }

    @Test
    void tunnelToUnpublishedPortIsRejected() {
        assertThatThrownBy(() -> shared.tunnel(8080)).isInstanceOf(InvalidException.class)
                .hasMessage("Sandbox " + shared.objectId() + " does not publish port 8080 (it publishes none); Docker "
                        + "publishes ports only at creation, so create the sandbox with ports(8080).");
        assertThatThrownBy(() -> shared.tunnel(0)).isInstanceOf(InvalidException.class)
                .hasMessage("Invalid port: 0. It must be between 1 and 65535.");
    }

    @Test
    void filesOfAnEndedSandboxNameIt() throws Exception {
        Sandbox sandbox = Sandbox.create();
        sandbox.terminate();
        assertThatThrownBy(() -> sandbox.readText("/etc/hostname")).isInstanceOf(NotFoundException.class)
                .hasMessage("Sandbox " + sandbox.objectId() + " no longer exists; it was terminated or timed out.");
        assertThatThrownBy(() -> sandbox.ls("/")).isInstanceOf(NotFoundException.class)
                .hasMessage("Sandbox " + sandbox.objectId() + " no longer exists; it was terminated or timed out.");
    }

    @Test
    void emptyIdsAndNamesAreRejected() {
        assertThatThrownBy(() -> Sandbox.fromId("")).isInstanceOf(InvalidException.class)
                .hasMessage("Invalid sandbox id '': ids look like sb- and 24 hex digits, as objectId() returns them.");
        assertThatThrownBy(() -> Sandbox.fromName("sandboxes", "")).isInstanceOf(InvalidException.class)
                .hasMessageStartingWith("Invalid sandbox name '':");
        assertThatThrownBy(() -> Sandbox.fromName("", "box")).isInstanceOf(InvalidException.class)
                .hasMessageStartingWith("Invalid app name '':");
    }

    @Test
    void kernelFilesystemsAreRejected() {
        assertThatThrownBy(() -> shared.writeText("/proc/x", "no")).isInstanceOf(InvalidException.class)
                .hasMessage("/proc/x in sandbox " + shared.objectId() + " is on the kernel's /proc filesystem, which "
                        + "readBytes and writeBytes do not reach on Docker; use exec with cat or tee instead.");
        assertThatThrownBy(() -> shared.readText("/dev/null")).isInstanceOf(InvalidException.class)
                .hasMessageStartingWith("/dev/null in sandbox " + shared.objectId() + " is on the kernel's /dev");
    }

    @Test
    void readingUnderAFileNamesTheDaemonReason() {
        assertThatThrownBy(() -> shared.readText("/etc/hostname/x")).isInstanceOf(SkiffException.class)
                .hasMessageStartingWith("Reading /etc/hostname/x in sandbox " + shared.objectId() + " failed: ")
                .hasMessageNotContaining("/var/lib/docker");
    }

    @Test
    void reusedLabelRemovesTheReplacedImage() {
        String label = "reuse-" + UUID.randomUUID();
        String first = SandboxSnapshot.create(shared, label).image().base();
        shared.writeText("/tmp/reuse.txt", "second");
        String second = SandboxSnapshot.create(shared, label).image().base();
        try {
            assertThat(second).isNotEqualTo(first);
            assertThatThrownBy(() -> docker.client().inspectImageCmd(first).exec())
                    .isInstanceOf(com.github.dockerjava.api.exception.NotFoundException.class);
        } finally {
            SandboxSnapshot.fromName(label).delete();
        }
    }

    @Test
    void killFromOutsideCountsAsTerminated() throws Exception {
        Sandbox sandbox = Sandbox.create();
        try {
            String container = docker.client().listContainersCmd()
                    .withLabelFilter(Map.of(DockerSandboxes.LABEL_SANDBOX, sandbox.objectId())).exec().get(0).getId();
            docker.client().killContainerCmd(container).exec();
            assertThatThrownBy(() -> sandbox.waitFor(true)).isInstanceOf(SandboxTerminatedException.class)
                    .hasMessage("Sandbox " + sandbox.objectId() + " was terminated (exit code 137).");
        } finally {
            sandbox.terminate();
        }
    }

    @Test
    void gpuWithoutNvidiaRuntimeNamesTheFix() {
        // This daemon has no NVIDIA runtime; the request must fail before a container is created.
        int before = docker.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of(DockerSandboxes.LABEL_SANDBOX)).exec().size();
        assertThatThrownBy(() -> Sandbox.create(SandboxOptions.defaults().gpu("T4")))
                .isInstanceOf(SkiffException.class)
                .hasMessageContaining(" asks for GPUs [T4], but the Docker daemon at ")
                .hasMessageContaining("has no NVIDIA runtime");
        assertThat(docker.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of(DockerSandboxes.LABEL_SANDBOX)).exec()).hasSizeLessThanOrEqualTo(before);
    }
}
