package dev.skiff.dsl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.dsl.CliProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code notebooks/docker.groovy} runs its functions in containers on the Docker daemon the build started. */
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
}
