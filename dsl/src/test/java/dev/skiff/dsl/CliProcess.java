package dev.skiff.dsl;

import dev.skiff.code.CodeBundle;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Runs the skiff command as a subprocess on this test JVM's classpath, with its own Skiff home and
 * a marker in every worker's command line, so that a test can find the workers it caused.
 */
public final class CliProcess {
    /** Maximum time one command may take before the test fails. */
    public static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final Path home;
    private final String marker = "skiff-test-" + UUID.randomUUID();
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> variables = new java.util.LinkedHashMap<>();

    public CliProcess(Path home) {
        this.home = home;
    }

    /** The result of one finished command. */
    public record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    /** Adds JVM options, such as system properties, to the commands run after this call. */
    public CliProcess jvmOptions(String... options) {
        jvmOptions.addAll(List.of(options));
        return this;
    }

    /** Sets an environment variable of the commands run after this call. */
    public CliProcess environment(String name, String value) {
        variables.put(name, value);
        return this;
    }

    public Path home() {
        return home;
    }

    /** Returns the text that every worker this command starts has in its command line. */
    public String marker() {
        return marker;
    }

    /** Returns the command line that runs skiff with {@code args}. */
    public List<String> command(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, CodeBundle.expand(System.getProperty("java.class.path"))));
        command.add("dev.skiff.dsl.cli.Main");
        command.addAll(List.of(args));
        return command;
    }

    /** Returns a process builder for {@code command} with this command's environment. */
    public ProcessBuilder builder(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        environment.put("SKIFF_HOME", home.toString());
        environment.put("SKIFF_WORKER_JAVA_OPTS", "-Dskiff.test.marker=" + marker);
        environment.remove("SKIFF_TIMINGS");
        environment.putAll(variables);
        return builder;
    }

    /** Runs skiff with {@code args} in {@code directory} and waits for it, at most {@link #TIMEOUT}. */
    public Result run(Path directory, String... args) throws IOException, InterruptedException {
        Path stdout = Files.createTempFile("skiff-stdout", ".txt");
        Path stderr = Files.createTempFile("skiff-stderr", ".txt");
        try {
            Process process = builder(command(args)).directory(directory.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError("skiff " + String.join(" ", args) + " did not finish within " + TIMEOUT
                        + "; stdout so far:\n" + Files.readString(stdout) + "\nstderr so far:\n"
                        + Files.readString(stderr));
            }
            return new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }
}
