package dev.skiff.kernelspec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.code.CodeBundle;
import dev.skiff.kernel.KernelMain;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelSpecInstallerTest {
    @TempDir
    Path prefix;

    @Test
    void installWritesKernelJsonAndLogos() throws Exception {
        Path folder = KernelSpecInstaller.install(KernelSpecInstaller.Options.current(Location.PREFIX, prefix, "java-test"));

        assertThat(folder).isEqualTo(prefix.resolve("share/jupyter/kernels/java-test"));
        JsonNode spec = new ObjectMapper().readTree(folder.resolve("kernel.json").toFile());
        assertThat(spec.path("interrupt_mode").asText()).isEqualTo("message");
        assertThat(spec.path("language").asText()).isEqualTo("java");
        assertThat(spec.path("argv").get(2).asText()).contains("$SKIFF_KERNEL_JAVA_OPTS")
                .contains("dev.skiff.kernel.KernelMain");
        assertThat(spec.path("argv").get(3).asText()).endsWith("/bin/java");
        // The kernel module's jar after a package build, or its target/classes folder after a test build.
        String kernelLocation = Path.of(KernelMain.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        assertThat(spec.path("argv").get(4).asText().split(File.pathSeparator)).contains(kernelLocation);
        assertThat(spec.path("argv").get(5).asText()).isEqualTo("{connection_file}");
        for (int size : new int[] {32, 64}) {
            BufferedImage logo = ImageIO.read(folder.resolve("logo-" + size + "x" + size + ".png").toFile());
            assertThat(logo.getWidth()).isEqualTo(size);
            assertThat(logo.getHeight()).isEqualTo(size);
        }
    }

    @Test
    void installReplacesEarlierSpec() throws Exception {
        Path first = KernelSpecInstaller.install(KernelSpecInstaller.Options.current(Location.PREFIX, prefix, "again"));
        Files.writeString(first.resolve("kernel.json"), "{}");
        KernelSpecInstaller.install(KernelSpecInstaller.Options.current(Location.PREFIX, prefix, "again"));
        assertThat(Files.readString(first.resolve("kernel.json"))).contains("KernelMain");
    }

    @Test
    void kernelJsonUsesArchiveWhenRecorded() throws Exception {
        KernelSpecInstaller.Options options = KernelSpecInstaller.Options.current(Location.PREFIX, prefix, "cds");
        Path archive = prefix.resolve("it's here/kernel.jsa");

        String withArchive = new ObjectMapper().readTree(KernelSpecInstaller.kernelJson(options, Optional.of(archive)))
                .path("argv").get(2).asText();
        String without = new ObjectMapper().readTree(KernelSpecInstaller.kernelJson(options, Optional.empty()))
                .path("argv").get(2).asText();

        assertThat(withArchive).contains("'-XX:SharedArchiveFile=" + prefix + "/it'\\''s here/kernel.jsa'");
        assertThat(withArchive).contains("-Xlog:cds=off");
        assertThat(without).doesNotContain("SharedArchiveFile");
        assertThat(without).contains("-XX:+UseSerialGC");
    }

    @Test
    void folderOnClasspathSkipsArchive() throws Exception {
        Path folder = Files.createDirectories(prefix.resolve("spec"));
        Files.writeString(folder.resolve(ClassDataArchive.FILE_NAME), "from an earlier install");
        KernelSpecInstaller.Options options = new KernelSpecInstaller.Options(Location.PREFIX, prefix, "dirs",
                Path.of(System.getProperty("java.home"), "bin", "java"), List.of(prefix.toString()));

        Optional<Path> archive = ClassDataArchive.record(options, KernelSpecInstaller.DEFAULT_JVM_OPTIONS, folder);

        assertThat(archive).isEmpty();
        assertThat(folder.resolve(ClassDataArchive.FILE_NAME)).doesNotExist();
    }

    @Test
    void jarClasspathGetsUsableArchive() throws Exception {
        List<String> jars = new ArrayList<>();
        for (String entry : CodeBundle.expand(System.getProperty("java.class.path"))) {
            Path path = Path.of(entry);
            if (Files.isDirectory(path)) {
                if (!path.endsWith("test-classes")) {
                    jars.add(jarOf(path, prefix.resolve("jars").resolve(jars.size() + ".jar")).toString());
                }
            } else {
                jars.add(entry);
            }
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        KernelSpecInstaller.Options options = new KernelSpecInstaller.Options(Location.PREFIX, prefix, "jars", java,
                jars);

        Path folder = KernelSpecInstaller.install(options);

        Path archive = folder.resolve(ClassDataArchive.FILE_NAME);
        assertThat(archive).isRegularFile();
        assertThat(Files.readString(folder.resolve("kernel.json"))).contains("-XX:SharedArchiveFile=" + archive);
        // -Xshare:on makes the JVM fail at start unless it can map the archive.
        Process check = new ProcessBuilder(java.toString(), "-XX:+UseSerialGC", "-Xshare:on",
                "-XX:SharedArchiveFile=" + archive, "-cp", String.join(File.pathSeparator, jars),
                "dev.skiff.kernel.KernelMain").redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).contains("Usage: java -cp CLASSPATH dev.skiff.kernel.KernelMain");
        assertThat(check.exitValue()).as(output).isEqualTo(2);
    }

    @Test
    void invalidNameIsRejected() {
        assertThatThrownBy(() -> KernelSpecInstaller.Options.current(Location.PREFIX, prefix, "bad/name"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad/name");
    }

    /** Writes the files under {@code folder} into the jar {@code jar} and returns it. */
    private static Path jarOf(Path folder, Path jar) throws IOException {
        Files.createDirectories(jar.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(folder.relativize(file).toString().replace(File.separatorChar, '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        return jar;
    }
}
