package dev.skiff.dsl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command prints its usage for {@code --help}, and {@code skiff version} prints the versions. */
class HelpTest {
    @ParameterizedTest
    @ValueSource(strings = {"", "run", "deploy", "apps", "apps list", "apps stop", "shell", "version", "kernel"})
    void helpOnEveryCommand(String command) {
        CommandLine line = SkiffCommand.commandLine();
        StringWriter out = new StringWriter();
        line.setOut(new PrintWriter(out));
        String[] words = (command.isEmpty() ? "--help" : command + " --help").split(" ");

        int exitCode = line.execute(words);

        assertThat(exitCode).isZero();
        assertThat(out.toString()).startsWith("Usage: skiff" + (command.isEmpty() ? "" : " " + command));
    }

    @Test
    void runHelpDocumentsUnitsAndTargets() {
        CommandLine line = SkiffCommand.commandLine();
        StringWriter out = new StringWriter();
        line.setOut(new PrintWriter(out));

        line.execute("run", "--help");

        assertThat(out.toString()).contains("SCRIPT[::FUNCTION]", "--stacktrace", "--name value");
    }

    @Test
    void versionPrintsSkiffGroovyAndJava() {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            assertThat(SkiffCommand.commandLine().execute("version")).isZero();
        } finally {
            System.setOut(original);
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).startsWith("skiff 0.1.0-SNAPSHOT\nGroovy 5.0.8\nJava ");
    }

    @Test
    void kernelWithoutKernelModuleExplainsBuild() {
        PrintStream original = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        int exitCode;
        try {
            exitCode = SkiffCommand.commandLine().execute("kernel", "install", "--user");
        } finally {
            System.setErr(original);
        }
        assertThat(exitCode).isEqualTo(2);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(KernelUnavailableCommand.MESSAGE + "\n");
    }
}
