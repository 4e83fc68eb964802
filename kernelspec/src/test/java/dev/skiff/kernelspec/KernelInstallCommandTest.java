package dev.skiff.kernelspec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.code.CodeBundle;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code skiff kernel install} run as the real CLI in a subprocess on this test JVM's classpath, where
 * the CLI finds the {@code kernel} command through its service file.
 */
class KernelInstallCommandTest {
    private static final long TIMEOUT_SECONDS = 60;

    @TempDir
    Path prefix;

    private record Result(int exitCode, String stdout, String stderr) {
    }

    private static Result run(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(File.pathSeparator, CodeBundle.expand(System.getProperty("java.class.path"))),
                "dev.skiff.dsl.cli.Main"));
        command.addAll(List.of(args));
        return exec(command, environment);
    }

    private static Result exec(List<String> command, Map<String, String> environment)
            throws IOException, InterruptedException {
        Path stdout = Files.createTempFile("skiff-stdout", ".txt");
        Path stderr = Files.createTempFile("skiff-stderr", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    @Test
    void installIntoPrefixIsListedByJupyter() throws Exception {
        Result result = run(Map.of(), "kernel", "install", "--prefix", prefix.toString(), "--name", "skiff-cli-test");

        Path folder = prefix.resolve("share/jupyter/kernels/skiff-cli-test");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo("Installed kernel spec skiff-cli-test in " + folder + "\n");
        // From class folders, as in this test run, the installer prints why it records no class data archive.
        assertThat(result.stderr().lines()).allMatch(line -> line.startsWith("No class data archive: the classpath "
                + "contains the folder "));
        // The installer records a class data archive only for a classpath of jars, not in a reactor test run.
        Optional<Path> archive = Optional.of(folder.resolve("kernel.jsa")).filter(Files::isRegularFile);
        String expected = KernelSpecInstaller.kernelJson(
                KernelSpecInstaller.Options.current(Location.PREFIX, prefix, "skiff-cli-test"), archive);
        assertThat(Files.readString(folder.resolve("kernel.json"))).isEqualTo(expected);
        assertThat(folder.resolve("logo-32x32.png")).isNotEmptyFile();
        assertThat(folder.resolve("logo-64x64.png")).isNotEmptyFile();

        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/jupyter-kernelspec")),
                "Skipping the listing: /usr/bin/jupyter-kernelspec is missing. Run scripts/install-jupyter.sh as root.");
        Result listing = exec(List.of("/usr/bin/jupyter", "kernelspec", "list", "--json"),
                Map.of("JUPYTER_PATH", prefix.resolve("share/jupyter").toString(),
                        "JUPYTER_DATA_DIR", prefix.resolve("data").toString()));
        assertThat(listing.exitCode()).as(listing.stderr()).isZero();
        JsonNode spec = new ObjectMapper().readTree(listing.stdout()).path("kernelspecs").path("skiff-cli-test");
        assertThat(spec.path("resource_dir").asText()).isEqualTo(folder.toString());
        assertThat(spec.path("spec").path("interrupt_mode").asText()).isEqualTo("message");
        assertThat(spec.path("spec").path("language").asText()).isEqualTo("java");
    }

    @Test
    void userInstallFollowsJupyterDataDir() throws Exception {
        Result result = run(Map.of("JUPYTER_DATA_DIR", prefix.toString()), "kernel", "install", "--user");

        Path folder = prefix.resolve("kernels/skiff-java");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo("Installed kernel spec skiff-java in " + folder + "\n");
        assertThat(folder.resolve("kernel.json")).isNotEmptyFile();
    }

    @Test
    void invalidNameIsUsageError() throws Exception {
        Result result = run(Map.of(), "kernel", "install", "--prefix", prefix.toString(), "--name", "bad/name");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("skiff kernel install: invalid kernel name \"bad/name\": use letters,"
                + " digits, '.', '_' and '-' only. (see 'skiff kernel install --help')\n");
        assertThat(prefix.resolve("share")).doesNotExist();
    }

    @Test
    void twoLocationsAreUsageError() throws Exception {
        Result result = run(Map.of(), "kernel", "install", "--user", "--prefix", prefix.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("skiff kernel install: error: --user, --prefix=DIR are mutually exclusive"
                + " (specify only one) (see 'skiff kernel install --help')\n");
    }
}
