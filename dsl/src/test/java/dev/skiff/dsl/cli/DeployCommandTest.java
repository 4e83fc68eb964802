package dev.skiff.dsl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.dsl.CliProcess;
import dev.skiff.dsl.WorkerProcesses;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code skiff deploy}, {@code skiff apps list} and {@code skiff apps stop}, with a call from another JVM in between. */
class DeployCommandTest {
    @TempDir
    Path home;
    CliProcess skiff;

    @BeforeEach
    void setUp() {
        skiff = new CliProcess(home);
    }

    @AfterEach
    void noWorkerLeft() throws InterruptedException {
        assertThat(WorkerProcesses.remaining(skiff.marker(), Duration.ofSeconds(10))).isEmpty();
    }

    @Test
    void deployListCallAndStop() throws Exception {
        CliProcess.Result empty = skiff.run(RunCommandTest.SCRIPTS, "apps", "list");
        assertThat(empty.exitCode()).isZero();
        assertThat(empty.stdout()).isEmpty();
        assertThat(empty.stderr()).isEqualTo("No apps deployed in " + home.resolve("apps") + ".\n");

        CliProcess.Result deployed = skiff.run(RunCommandTest.ROOT, "deploy", "notebooks/quickstart.groovy");
        assertThat(deployed.exitCode()).as(deployed.toString()).isZero();
        assertThat(deployed.stdout()).isEqualTo(
                "Deployed app quickstart: functions [fibonacci, sum-of-squares], classes []\n");

        CliProcess.Result listed = skiff.run(RunCommandTest.SCRIPTS, "apps", "list");
        assertThat(listed.stdout()).isEqualTo("quickstart\n");

        CliProcess.Result called = skiff.run(RunCommandTest.SCRIPTS, "run", "call-deployed.groovy");
        assertThat(called.exitCode()).as(called.toString()).isZero();
        assertThat(called.stdout()).isEqualTo("fibonacci(20) = 6765\nsums = [385, 855]\n");

        CliProcess.Result stopped = skiff.run(RunCommandTest.SCRIPTS, "apps", "stop", "quickstart");
        assertThat(stopped.exitCode()).isZero();
        assertThat(stopped.stdout()).isEqualTo("Stopped app quickstart.\n");
        assertThat(skiff.run(RunCommandTest.SCRIPTS, "apps", "list").stdout()).isEmpty();

        CliProcess.Result again = skiff.run(RunCommandTest.SCRIPTS, "run", "call-deployed.groovy");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.stderr()).startsWith("Error: dev.skiff.NotFoundException: App \"quickstart\" is not deployed");
    }

    @Test
    void stopUnknownAppIsUsageError() throws Exception {
        CliProcess.Result result = skiff.run(RunCommandTest.SCRIPTS, "apps", "stop", "nothing-here");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo(
                "skiff: no deployed app named nothing-here; 'skiff apps list' shows them.\n");
    }

    @Test
    void deployWithoutAppIsUsageError() throws Exception {
        CliProcess.Result result = skiff.run(RunCommandTest.SCRIPTS, "deploy", "no-app.groovy");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stdout()).isEqualTo("nothing to deploy\n");
        assertThat(result.stderr()).isEqualTo("skiff: no-app.groovy creates no app; call app('name') in the script "
                + "and register functions on it.\n");
    }
}
