package dev.skiff.dsl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.dsl.WorkerProcesses;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code skiff} launcher at the repository root starts the CLI from the classpath the build
 * wrote, without running Maven: this build wrote it just before the tests.
 */
class LauncherTest {
    @TempDir
    Path home;

    private Process launch(String marker, String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = RunCommandTest.ROOT.resolve("skiff").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder builder = new ProcessBuilder(command).directory(RunCommandTest.ROOT.toFile());
        builder.environment().put("SKIFF_HOME", home.toString());
        builder.environment().put("SKIFF_NO_BUILD", "1");
        builder.environment().put("SKIFF_CDS", "false");
        builder.environment().put("SKIFF_WORKER_JAVA_OPTS", "-Dskiff.test.marker=" + marker);
        builder.redirectErrorStream(true);
        return builder.start();
    }

    @Test
    void launcherRunsVersionWithoutBuilding() throws Exception {
        Process process = launch("none", "version");
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).startsWith("skiff 0.1.0-SNAPSHOT\n");
    }

    @Test
    void launcherRunsFunctionOfScript() throws Exception {
        String marker = "skiff-test-" + UUID.randomUUID();
        Process process = launch(marker, "run", "notebooks/quickstart.groovy::fibonacci", "--n", "10");
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).isEqualTo("55\n");
        assertThat(WorkerProcesses.remaining(marker, Duration.ofSeconds(10))).isEmpty();
    }
}
