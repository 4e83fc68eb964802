package dev.skiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks the arguments, descriptions and content hashes of {@link Image}, without Docker. */
class ImageTest {
    @Test
    void relativeWorkdirIsInvalid() {
        assertThatThrownBy(() -> Image.debianSlim().workdir("work"))
                .isInstanceOf(InvalidException.class)
                .hasMessage("workdir: 'work' must be an absolute path in the image, such as /data.");
        assertThatThrownBy(() -> Image.debianSlim().workdir(null))
                .isInstanceOf(InvalidException.class)
                .hasMessage("workdir: 'null' must be an absolute path in the image, such as /data.");
    }

    @Test
    void badPackageNameIsInvalid() {
        for (String name : List.of("Curl", "curl;rm", "-curl", "curl =1", "")) {
            assertThatThrownBy(() -> Image.debianSlim().aptInstall("git", name))
                    .as("package name '%s'", name)
                    .isInstanceOf(InvalidException.class)
                    .hasMessage("Invalid Debian package name '" + name
                            + "': use names such as curl or openjdk-17-jre-headless, optionally with =VERSION.");
        }
        assertThatThrownBy(() -> Image.debianSlim().aptInstall())
                .isInstanceOf(InvalidException.class)
                .hasMessage("aptInstall needs at least one package name.");
    }

    @Test
    void validPackageNamesAreAccepted() {
        Image image = Image.debianSlim().aptInstall("curl", "openjdk-17-jre-headless", "libc6=2.36-9+deb12u4", "g++");

        assertThat(image.steps()).containsExactly(new Image.Step(Image.StepKind.APT_INSTALL,
                List.of("curl", "openjdk-17-jre-headless", "libc6=2.36-9+deb12u4", "g++")));
    }

    @Test
    void badCoordinatesAreInvalid() {
        for (String coordinates : List.of("org.slf4j:slf4j-api", "slf4j-api", "org.slf4j::2.0.17",
                "org.slf4j:slf4j-api:jar:sources:2.0.17:extra", "org.slf4j:slf4j api:2.0.17")) {
            assertThatThrownBy(() -> Image.debianSlim().mavenInstall(coordinates))
                    .as("coordinates '%s'", coordinates)
                    .isInstanceOf(InvalidException.class)
                    .hasMessage("Invalid Maven coordinates '" + coordinates
                            + "': use group:artifact:version, such as org.apache.commons:commons-lang3:3.17.0.");
        }
        assertThatThrownBy(() -> Image.debianSlim().mavenInstall())
                .isInstanceOf(InvalidException.class)
                .hasMessage("mavenInstall needs at least one artifact.");
    }

    @Test
    void coordinatesWithExtensionAndClassifierAreAccepted() {
        Image image = Image.debianSlim().mavenInstall("org.slf4j:slf4j-api:2.0.17",
                "org.slf4j:slf4j-api:jar:sources:2.0.17");

        assertThat(image.steps().get(0).describe())
                .isEqualTo("mavenInstall(org.slf4j:slf4j-api:2.0.17, org.slf4j:slf4j-api:jar:sources:2.0.17)");
    }

    @Test
    void missingLocalFileIsInvalid(@TempDir Path folder) {
        Path missing = folder.resolve("missing.txt");

        assertThatThrownBy(() -> Image.debianSlim().addLocalFile(missing, "/work/in.txt"))
                .isInstanceOf(InvalidException.class)
                .hasMessage("addLocalFile: " + missing + " is not a file on this machine.");
        assertThatThrownBy(() -> Image.debianSlim().addLocalFile(folder, "/work/in.txt"))
                .isInstanceOf(InvalidException.class)
                .hasMessage("addLocalFile: " + folder + " is not a file on this machine.");
    }

    @Test
    void missingLocalFolderIsInvalid(@TempDir Path folder) throws Exception {
        Path missing = folder.resolve("missing");
        Path file = Files.writeString(folder.resolve("file.txt"), "text");

        assertThatThrownBy(() -> Image.debianSlim().addLocalDir(missing, "/data"))
                .isInstanceOf(InvalidException.class)
                .hasMessage("addLocalDir: " + missing + " is not a folder on this machine.");
        assertThatThrownBy(() -> Image.debianSlim().addLocalDir(file, "/data"))
                .isInstanceOf(InvalidException.class)
                .hasMessage("addLocalDir: " + file + " is not a folder on this machine.");
    }

    @Test
    void relativeRemotePathIsInvalid(@TempDir Path folder) throws Exception {
        Path file = Files.writeString(folder.resolve("file.txt"), "text");

        assertThatThrownBy(() -> Image.debianSlim().addLocalFile(file, "work/in.txt"))
                .isInstanceOf(InvalidException.class)
                .hasMessage("addLocalFile: 'work/in.txt' must be an absolute path in the image, such as /data.");
        assertThatThrownBy(() -> Image.debianSlim().addLocalDir(folder, "data"))
                .isInstanceOf(InvalidException.class)
                .hasMessage("addLocalDir: 'data' must be an absolute path in the image, such as /data.");
    }

    @Test
    void invalidReferenceCommandsAndVariables() {
        assertThatThrownBy(() -> Image.fromRegistry("debian:bookworm slim"))
                .isInstanceOf(InvalidException.class)
                .hasMessage("Invalid image reference 'debian:bookworm slim': give a name such as debian:bookworm-slim "
                        + "or registry.example.com/team/app:1.0.");
        assertThatThrownBy(() -> Image.fromRegistry(""))
                .isInstanceOf(InvalidException.class)
                .hasMessage("Invalid image reference '': give a name such as debian:bookworm-slim "
                        + "or registry.example.com/team/app:1.0.");
        assertThatThrownBy(() -> Image.debianSlim().runCommands())
                .isInstanceOf(InvalidException.class)
                .hasMessage("runCommands needs at least one command.");
        assertThatThrownBy(() -> Image.debianSlim().runCommands("echo ok", " "))
                .isInstanceOf(InvalidException.class)
                .hasMessage("runCommands was given an empty command.");
        assertThatThrownBy(() -> Image.debianSlim().env(Map.of()))
                .isInstanceOf(InvalidException.class)
                .hasMessage("env needs at least one variable.");
        assertThatThrownBy(() -> Image.debianSlim().env(Map.of("A=B", "x")))
                .isInstanceOf(InvalidException.class)
                .hasMessage("Invalid environment variable A=B=x: the name must be non-empty without '=' "
                        + "and the value non-null.");
    }

    @Test
    void stepsDescribeThemselves(@TempDir Path folder) throws Exception {
        Path file = Files.writeString(folder.resolve("in.txt"), "input");
        Image image = Image.debianSlim()
                .runCommands("echo built > /built.txt")
                .env(Map.of("GREETING", "hi", "AUDIENCE", "world"))
                .workdir("/work")
                .addLocalFile(file, "/work/in.txt")
                .addLocalDir(folder, "/data");

        assertThat(image.steps()).extracting(Image.Step::describe).containsExactly(
                "runCommands(echo built > /built.txt)",
                "env(AUDIENCE=world, GREETING=hi)",
                "workdir(/work)",
                "addLocalFile(" + file.toAbsolutePath() + ", /work/in.txt)",
                "addLocalDir(" + folder.toAbsolutePath() + ", /data)");
        assertThat(image.toString()).isEqualTo("Image.debianSlim().runCommands(echo built > /built.txt)"
                + ".env(AUDIENCE=world, GREETING=hi).workdir(/work).addLocalFile(" + file.toAbsolutePath()
                + ", /work/in.txt).addLocalDir(" + folder.toAbsolutePath() + ", /data)");
        assertThat(image.base()).isEqualTo("debian:bookworm-slim");
        assertThat(image.isDebianSlim()).isTrue();
        assertThat(Image.fromRegistry("debian:bookworm-slim").isDebianSlim()).isFalse();
    }

    @Test
    void stepsLeaveTheOriginalUnchanged() {
        Image base = Image.debianSlim().workdir("/work");
        Image longer = base.runCommands("true");

        assertThat(base.steps()).hasSize(1);
        assertThat(longer.steps()).hasSize(2);
        assertThat(longer.parent()).isEqualTo(base);
        assertThat(longer.parent().id()).isEqualTo(base.id());
        assertThat(Image.debianSlim().parent()).isEqualTo(Image.debianSlim());
    }

    @Test
    void idFollowsFileContents(@TempDir Path folder) throws Exception {
        Path file = Files.writeString(folder.resolve("in.txt"), "first");
        Path data = Files.createDirectories(folder.resolve("data"));
        Files.writeString(data.resolve("a.txt"), "alpha");
        Image image = Image.debianSlim().addLocalFile(file, "/in.txt").addLocalDir(data, "/data");
        String original = image.id();

        assertThat(original).matches("[0-9a-f]{32}");
        assertThat(Image.debianSlim().addLocalFile(file, "/in.txt").addLocalDir(data, "/data").id())
                .isEqualTo(original);

        Files.writeString(file, "second");
        String fileChanged = image.id();
        assertThat(fileChanged).isNotEqualTo(original);

        Files.writeString(data.resolve("b.txt"), "beta");
        assertThat(image.id()).isNotEqualTo(fileChanged);
    }
}
