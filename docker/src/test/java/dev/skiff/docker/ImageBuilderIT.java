package dev.skiff.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import dev.skiff.App;
import dev.skiff.Engine;
import dev.skiff.Function;
import dev.skiff.FunctionOptions;
import dev.skiff.Image;
import dev.skiff.ImageBuildException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds images with {@link ImageBuilder} on the daemon that {@code DOCKER_HOST} names and checks
 * what containers of them see. The layers of steps that copy this test's temporary files are
 * untagged afterwards, because no later run can reuse them.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ImageBuilderIT {
    private static final String LABEL_TEST = "dev.skiff.test";
    /** An artifact in the local Maven repository that is not on this module's classpath. */
    private static final String PICOCLI_JAR = "picocli-4.7.7.jar";

    private static DockerConnection docker;

    /** Tags of layers that only this run can have built, removed after each test, newest first. */
    private final List<String> createdTags = new ArrayList<>();

    @TempDir
    Path folder;

    @BeforeAll
    static void connect() {
        docker = DockerConnection.fromEnvironment();
    }

    @AfterAll
    static void disconnect() {
        docker.close();
    }

    @AfterEach
    void removeCreatedTags() {
        for (int i = createdTags.size() - 1; i >= 0; i--) {
            String tag = createdTags.get(i);
            try {
                docker.client().removeImageCmd(tag).exec();
            } catch (NotFoundException e) {
                // Already removed.
            } catch (ConflictException e) {
                System.err.println("Could not remove the test image " + tag + ": " + e.getMessage());
            }
        }
    }

    @Test
    void chainBuildsAndContainerSeesIt() throws Exception {
        String token = UUID.randomUUID().toString();
        Path file = Files.writeString(folder.resolve("in.txt"), "input " + token + "\n");
        Path data = dataFolder();
        Image image = chain(file, data);
        List<String> log = new ArrayList<>();

        String reference = new ImageBuilder(docker).buildLog(log::add).build(image);
        rememberCopyLayers(image, reference);

        assertThat(reference).matches("skiff-image:[0-9a-f]{24}");
        // Steps 1 to 3 are the same in every run, so an earlier run may have built them already.
        assertThat(log).filteredOn(line -> line.startsWith("building ")).endsWith(
                "building step 4 of 5, addLocalFile(" + file + ", /work/in.txt)",
                "building step 5 of 5, addLocalDir(" + data + ", /data)");
        ContainerRun run = runIn(reference, "cat /built.txt; echo \"GREETING=$GREETING\"; pwd; cat /work/in.txt; "
                + "cat /data/a.txt; cat /data/sub/b.txt");
        assertThat(run.exitStatus()).isZero();
        assertThat(run.output()).isEqualTo("built\nGREETING=hi\n/work\ninput " + token + "\nalpha\nbeta\n");
        Map<String, String> labels = docker.client().inspectImageCmd(reference).exec().getConfig().getLabels();
        assertThat(labels).as("labels of the build containers, blanked in the layers")
                .containsEntry(DockerBackend.LABEL_ENGINE_HOST, "").containsEntry(DockerBackend.LABEL_ENGINE_PID, "");
    }

    @Test
    void unchangedImageIsNotRebuilt() throws Exception {
        Path file = Files.writeString(folder.resolve("in.txt"), "input " + UUID.randomUUID() + "\n");
        Path data = dataFolder();
        String first = new ImageBuilder(docker).buildLog(line -> { }).build(chain(file, data));
        rememberCopyLayers(chain(file, data), first);
        List<String> log = new ArrayList<>();

        String second = new ImageBuilder(docker).buildLog(log::add).build(chain(file, data));

        assertThat(second).isEqualTo(first);
        assertThat(log).isEmpty();
    }

    @Test
    void changedFileRebuildsFromItsStep() throws Exception {
        Path file = Files.writeString(folder.resolve("in.txt"), "first version\n");
        Path data = dataFolder();
        String first = new ImageBuilder(docker).buildLog(line -> { }).build(chain(file, data));
        rememberCopyLayers(chain(file, data), first);
        Files.writeString(file, "second version " + UUID.randomUUID() + "\n");
        List<String> log = new ArrayList<>();

        String second = new ImageBuilder(docker).buildLog(log::add).build(chain(file, data));
        rememberCopyLayers(chain(file, data), second);

        assertThat(second).isNotEqualTo(first);
        assertThat(log).containsExactly(
                "building step 4 of 5, addLocalFile(" + file + ", /work/in.txt)",
                "building step 5 of 5, addLocalDir(" + data + ", /data)");
        ContainerRun run = runIn(second, "cat /work/in.txt; cat /data/a.txt");
        assertThat(run.exitStatus()).isZero();
        assertThat(run.output()).isEqualTo(Files.readString(file) + "alpha\n");
        ContainerRun old = runIn(first, "cat /work/in.txt");
        assertThat(old.output()).isEqualTo("first version\n");
    }

    @Test
    void failingStepNamesStepStatusAndOutput() {
        Image failing = Image.debianSlim().workdir("/work").runCommands("echo about to fail", "exit 7");
        String label = "step 2 of 2, runCommands(echo about to fail, exit 7)";

        for (int attempt = 1; attempt <= 2; attempt++) {
            List<String> log = new ArrayList<>();
            ImageBuildException error = catchThrowableOfType(ImageBuildException.class,
                    () -> new ImageBuilder(docker).buildLog(log::add).build(failing));

            assertThat(error).as("the exception of build attempt %d", attempt).isNotNull();
            assertThat(error.getMessage()).isEqualTo("Image build failed at " + label
                    + " (exit status 7); its last output lines:\nabout to fail");
            assertThat(error.step()).isEqualTo("runCommands(echo about to fail, exit 7)");
            assertThat(error.logTail()).isEqualTo("about to fail");
            // A failed step leaves no layer behind, so the second attempt runs it again.
            assertThat(log).as("build log of attempt %d", attempt).endsWith("building " + label, "about to fail");
        }
    }

    @Test
    void debianSlimOfflineSaysSoOnce() throws Exception {
        assertThat(imageExists(Image.DEBIAN_SLIM)).as("%s on the daemon", Image.DEBIAN_SLIM).isFalse();
        Path errors = folder.resolve("probe-stderr.txt");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OfflineBaseProbe.class.getName());
        Process probe = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        byte[] output;
        try {
            // The probe prints four short lines, which fit in the pipe while it runs.
            assertThat(probe.waitFor(2, TimeUnit.MINUTES)).as("the probe JVM exited").isTrue();
            output = probe.getInputStream().readAllBytes();
        } finally {
            probe.destroyForcibly();
        }

        assertThat(probe.exitValue()).as("exit status of the probe; its standard error:\n%s",
                Files.readString(errors)).isZero();
        assertThat(new String(output, StandardCharsets.UTF_8).lines()).containsExactly(
                "log: pulling debian:bookworm-slim",
                "log: No registry is reachable for debian:bookworm-slim; Image.debianSlim() uses the local base "
                        + "image skiff/debian-jre:bookworm instead.",
                "reference=skiff/debian-jre:bookworm",
                "reference=skiff/debian-jre:bookworm");
    }

    @Test
    void mavenInstallPutsJarOnWorkerClasspath() throws Exception {
        Image image = Image.debianSlim().mavenInstall("info.picocli:picocli:4.7.7");
        Path localJar = Path.of(System.getProperty("maven.repo.local",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString()),
                "info", "picocli", "picocli", "4.7.7", PICOCLI_JAR);

        String reference = new ImageBuilder(docker).buildLog(line -> { }).build(image);

        ContainerRun listing = runIn(reference, "ls /opt/skiff/maven; sha256sum /opt/skiff/maven/" + PICOCLI_JAR);
        assertThat(listing.exitStatus()).isZero();
        assertThat(listing.output()).isEqualTo(PICOCLI_JAR + "\n" + sha256(localJar) + "  /opt/skiff/maven/"
                + PICOCLI_JAR + "\n");

        try (Engine engine = Engine.embedded()) {
            Function<String> source = App.named("images", engine).function("picocli-source",
                    FunctionOptions.defaults().backend("docker").image(image).timeout(Duration.ofSeconds(120)),
                    () -> Class.forName("picocli.CommandLine").getProtectionDomain().getCodeSource()
                            .getLocation().getPath());

            assertThat(source.remote()).isEqualTo("/opt/skiff/maven/" + PICOCLI_JAR);
        }
    }

    /** Returns the chain that most tests build: three fixed steps, then two that copy local files. */
    private static Image chain(Path file, Path data) {
        return Image.debianSlim()
                .runCommands("echo built > /built.txt")
                .env(Map.of("GREETING", "hi"))
                .workdir("/work")
                .addLocalFile(file, "/work/in.txt")
                .addLocalDir(data, "/data");
    }

    private Path dataFolder() throws Exception {
        Path data = Files.createDirectories(folder.resolve("data"));
        Files.writeString(data.resolve("a.txt"), "alpha\n");
        Files.writeString(Files.createDirectories(data.resolve("sub")).resolve("b.txt"), "beta\n");
        return data;
    }

    /**
     * Records the tags of the two copy steps of {@code image}, which name this test's temporary
     * files and so exist only for this run. The builder finds the step 4 tag without building.
     */
    private void rememberCopyLayers(Image image, String reference) {
        createdTags.add(new ImageBuilder(docker).buildLog(line -> { }).build(image.parent()));
        createdTags.add(reference);
    }

    private static boolean imageExists(String reference) {
        try {
            docker.client().inspectImageCmd(reference).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** The exit status and the combined standard output and error of a container. */
    private record ContainerRun(int exitStatus, String output) {
    }

    /** Runs {@code script} with {@code sh -c} in a new container of {@code image}, then removes the container. */
    private static ContainerRun runIn(String image, String script) throws Exception {
        String container = docker.client().createContainerCmd(image)
                .withCmd("sh", "-c", script)
                .withLabels(Map.of(LABEL_TEST, "ImageBuilderIT"))
                .exec().getId();
        try {
            docker.client().startContainerCmd(container).exec();
            int status = docker.client().waitContainerCmd(container).start().awaitStatusCode(60, TimeUnit.SECONDS);
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            boolean complete = docker.client().logContainerCmd(container).withStdOut(true).withStdErr(true)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            output.writeBytes(frame.getPayload());
                        }
                    }).awaitCompletion(30, TimeUnit.SECONDS);
            assertThat(complete).as("the log of container %s was read within 30 s", container).isTrue();
            return new ContainerRun(status, output.toString(StandardCharsets.UTF_8));
        } finally {
            docker.client().removeContainerCmd(container).withForce(true).exec();
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
