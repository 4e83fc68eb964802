package dev.skiff.kernelspec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
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
        // The kernel module is a jar when installed from a build, and its class folder in a reactor test run.
        assertThat(spec.path("argv").get(4).asText()).containsPattern("skiff-kernel-[^/]*\\.jar|kernel/target/classes");
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
    void invalidNameIsRejected() {
        assertThatThrownBy(() -> KernelSpecInstaller.Options.current(Location.PREFIX, prefix, "bad/name"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad/name");
    }
}
