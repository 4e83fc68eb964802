package dev.skiff.dsl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.dsl.CliProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Docker examples under {@code notebooks/} run against the Docker daemon the build started. */
class DockerExampleIT {
    @TempDir
    Path home;

    @Test
    void dockerExamplePrintsExpectedOutput() throws Exception {
        CliProcess.Result result = new CliProcess(home).run(RunCommandTest.ROOT, "run", "notebooks/docker.groovy");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).isEqualTo("""
                square(7) in a container = 49
                squares of 1..5 = [1, 4, 9, 16, 25]
                image: hello from the image | packed by the caller | true | 1
                sandbox: hello from the image, packed by the caller (exit 0)
                """);
    }

    @Test
    void sandboxExamplePrintsExpectedOutput() throws Exception {
        CliProcess.Result result = new CliProcess(home).run(RunCommandTest.ROOT, "run", "notebooks/sandbox.groovy");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).isEqualTo("""
                files: [index.txt, serve.pl]
                server: listening
                through the tunnel: hello from a sandbox
                exec: 21 bytes (exit 0)
                terminated: exit code 137
                copy: hello from a sandbox
                function: hello from a sandbox
                """);
    }
}
