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

/** {@code skiff run} as a subprocess on real scripts: output, error reports and exit statuses. */
class RunCommandTest {
    static final Path SCRIPTS = Path.of("src/test/resources/scripts").toAbsolutePath();
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

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
    void quickstartPrintsExpectedOutput() throws Exception {
        CliProcess.Result result = skiff.run(ROOT, "run", "notebooks/quickstart.groovy");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).isEqualTo("""
                remote: fibonacci(50) = 12586269025
                local:  fibonacci(10) = 55
                map:    [1, 1, 2, 3, 5, 8, 13, 21, 34, 55]
                spawn:  fibonacci(90) = 2880067194370816120
                class:  fibonacci(200) = 280571172992510140037611932413038677189525
                class:  fibonacci(150) = 9969216677189303386214405760200
                class:  cache hits = 1
                batches: 10 batches of 100, sum of squares 1..1000 = 333833500
                cache held 201 values
                """);
        // NOTE: under load the engine has once warned that a worker did not stop within its 10 s
        // grace and was killed (cause not found), so only engine warnings are allowed here.
        assertThat(result.stderr().lines()).allMatch(line -> line.contains("WARN dev.skiff.engine.Scheduler"));
    }

    @Test
    void functionTargetPrintsResult() throws Exception {
        CliProcess.Result result = skiff.run(ROOT, "run", "notebooks/quickstart.groovy::fibonacci", "--n", "30");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).isEqualTo("832040\n");
        assertThat(result.stderr()).isEmpty();
    }

    @Test
    void entrypointGetsTypedOptions() throws Exception {
        CliProcess.Result defaults = skiff.run(SCRIPTS, "run", "entrypoint.groovy", "--times", "3");
        CliProcess.Result explicit = skiff.run(SCRIPTS, "run", "entrypoint.groovy", "--times=2", "--word", "hey",
                "--shout");

        assertThat(defaults.exitCode()).as(defaults.toString()).isZero();
        assertThat(defaults.stdout()).isEqualTo("skiff skiff skiff\n");
        assertThat(explicit.exitCode()).as(explicit.toString()).isZero();
        assertThat(explicit.stdout()).isEqualTo("HEY HEY\n");
    }

    @Test
    void scriptBodyGetsArgs() throws Exception {
        CliProcess.Result result = skiff.run(SCRIPTS, "run", "body-args.groovy", "one", "three");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).isEqualTo("args: [one, three]\nlengths: [3, 5]\n");
    }

    @Test
    void compileErrorPrintsLocationAndExitsOne() throws Exception {
        CliProcess.Result result = skiff.run(SCRIPTS, "run", "broken.groovy");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).isEqualTo("broken.groovy:4:5: unable to resolve class NoSuchThing\n");
    }

    @Test
    void syntaxErrorPrintsGroovysMessage() throws Exception {
        CliProcess.Result result = skiff.run(SCRIPTS, "run", "syntax.groovy");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stderr()).startsWith("syntax.groovy:5:1: Unexpected input: ");
        assertThat(result.stderr()).doesNotContain("dev.skiff", "\tat ");
    }

    @Test
    void remoteFailurePrintsUserFramesFirst() throws Exception {
        CliProcess.Result result = skiff.run(SCRIPTS, "run", "failing.groovy");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stdout()).isEqualTo("1\n");
        assertThat(result.stderr().lines().toList()).hasSize(4);
        assertThat(result.stderr().lines().toList()).startsWith(
                "Error: java.lang.IllegalStateException: too big: 5 (raised in a worker)",
                "\tat failing.check(failing.groovy:6)",
                "\tat failing$_run_closure1.doCall(failing.groovy:12)");
        assertThat(result.stderr().lines().toList().get(3))
                .matches("\t\\.\\.\\. \\d+ frames of Groovy, Java and Skiff hidden; run with --stacktrace to see them");
    }

    @Test
    void unknownBackendInEnvironmentFailsAtRegistration() throws Exception {
        CliProcess.Result result = skiff.environment("SKIFF_BACKEND", "dockr").run(SCRIPTS, "run", "failing.groovy");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr().lines().toList()).startsWith(
                "Error: dev.skiff.InvalidException: Unknown backend 'dockr' in SKIFF_BACKEND: use local or docker.",
                "\tat failing.run(failing.groovy:11)");
    }

    @Test
    void stacktraceOptionPrintsEveryFrame() throws Exception {
        CliProcess.Result result = skiff.run(SCRIPTS, "run", "--stacktrace", "failing.groovy");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stderr()).startsWith("Error: java.lang.IllegalStateException: too big: 5");
        assertThat(result.stderr()).contains("at dev.skiff.worker.WorkerMain");
    }

    @Test
    void localFailurePrintsScriptFrames() throws Exception {
        CliProcess.Result result = skiff.run(SCRIPTS, "run", "local-failure.groovy");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stdout()).isEqualTo("before\n");
        assertThat(result.stderr().lines().toList()).startsWith(
                "Error: java.lang.NumberFormatException: For input string: \"forty-two\"",
                "\tat local_failure.parse(local-failure.groovy:3)",
                "\tat local_failure.run(local-failure.groovy:7)");
    }

    @Test
    void missingScriptIsUsageError() throws Exception {
        CliProcess.Result result = skiff.run(SCRIPTS, "run", "no-such-script.groovy");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("skiff: script not found: no-such-script.groovy\n");
    }

    @Test
    void unknownFunctionIsUsageError() throws Exception {
        CliProcess.Result result = skiff.run(ROOT, "run", "notebooks/quickstart.groovy::fib", "--n", "3");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("skiff: no function 'fib' in notebooks/quickstart.groovy; its "
                + "functions are fibonacci, sum-of-squares. Name a method of a class as CLASS.METHOD.\n");
    }

    @Test
    void classMethodTargetPrintsResult() throws Exception {
        CliProcess.Result sum = skiff.run(SCRIPTS, "run", "model.groovy::Adder.add", "--a", "2", "--b", "3");
        CliProcess.Result label = skiff.run(SCRIPTS, "run", "model.groovy::Adder.label", "--word", "hi", "--shout");

        assertThat(sum.exitCode()).isEqualTo(0);
        assertThat(sum.stdout()).isEqualTo("105\n");
        assertThat(label.exitCode()).isEqualTo(0);
        assertThat(label.stdout()).isEqualTo("HI\n");
    }

    @Test
    void unknownClassOrMethodIsUsageError() throws Exception {
        CliProcess.Result noClass = skiff.run(SCRIPTS, "run", "model.groovy::Model.add", "--a", "1");
        CliProcess.Result noMethod = skiff.run(SCRIPTS, "run", "model.groovy::Adder.subtract", "--a", "1");

        assertThat(noClass.exitCode()).isEqualTo(2);
        assertThat(noClass.stderr()).isEqualTo("skiff: no class 'Model' in model.groovy; its classes are Adder.\n");
        assertThat(noMethod.exitCode()).isEqualTo(2);
        assertThat(noMethod.stderr()).isEqualTo("skiff: class Adder in model.groovy has no @Method named 'subtract'; "
                + "its methods are add, label.\n");
    }

    @Test
    void badOptionValueIsUsageError() throws Exception {
        CliProcess.Result result = skiff.run(ROOT, "run", "notebooks/quickstart.groovy::fibonacci", "--n", "ten");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("skiff: invalid value 'ten' for --n: expected a whole number (int).\n");
    }

    @Test
    void unknownParameterIsUsageError() throws Exception {
        CliProcess.Result result = skiff.run(SCRIPTS, "run", "entrypoint.groovy", "--times", "1", "--colour", "red");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("skiff: unknown option --colour for localEntrypoint; its parameters "
                + "are --times <int>, --word <String>, --shout <boolean>.\n");
    }

    @Test
    void missingParameterIsUsageError() throws Exception {
        CliProcess.Result result = skiff.run(SCRIPTS, "run", "entrypoint.groovy");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).startsWith("skiff: missing --times for localEntrypoint;");
    }

    @Test
    void unknownCommandAndOptionAreUsageErrors() throws Exception {
        CliProcess.Result command = skiff.run(SCRIPTS, "launch");
        CliProcess.Result option = skiff.run(SCRIPTS, "run", "--fast", "failing.groovy");
        CliProcess.Result noFunction = skiff.run(SCRIPTS, "run", "failing.groovy::");

        assertThat(command.exitCode()).isEqualTo(2);
        assertThat(command.stderr().lines().count()).isEqualTo(1);
        assertThat(option.exitCode()).isEqualTo(2);
        assertThat(option.stderr()).isEqualTo("skiff run: unknown option: '--fast' (see 'skiff run --help')\n");
        assertThat(noFunction.exitCode()).isEqualTo(2);
        assertThat(noFunction.stderr()).isEqualTo("skiff: missing function name after '::' in failing.groovy::\n");
    }
}
