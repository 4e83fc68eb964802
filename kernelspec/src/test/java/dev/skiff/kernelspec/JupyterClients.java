package dev.skiff.kernelspec;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's Jupyter clients against the kernel, installed as a kernel spec under a temporary
 * prefix with this test JVM's classpath and a temporary Skiff home.
 */
final class JupyterClients {
    static final String PYTHON = "/usr/bin/python3";
    static final String KERNEL_NAME = "skiff-java-test";

    private JupyterClients() {
    }

    /** Returns null when the clients are installed, or why they are not. */
    static String missing() {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return PYTHON + " is missing";
        }
        try {
            Process check = new ProcessBuilder(PYTHON, "-c", "import jupyter_client, nbclient, jupyter_kernel_test")
                    .redirectErrorStream(true).start();
            if (!check.waitFor(60, TimeUnit.SECONDS)) {
                check.destroyForcibly();
                return "importing the Jupyter clients timed out";
            }
            if (check.exitValue() != 0) {
                return "the Jupyter Python packages are missing";
            }
        } catch (IOException e) {
            return "cannot run " + PYTHON + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        if (!Files.isExecutable(Path.of("/usr/bin/jupyter-console"))) {
            return "jupyter-console is missing";
        }
        return null;
    }

    /** Installs the kernel spec under {@code prefix} and returns the environment for the clients. */
    static Map<String, String> install(Path prefix, Path skiffHome) throws IOException {
        KernelSpecInstaller.install(KernelSpecInstaller.Options.current(Location.PREFIX, prefix, KERNEL_NAME));
        return Map.of("JUPYTER_PATH", prefix.resolve("share/jupyter").toString(),
                "JUPYTER_DATA_DIR", prefix.resolve("data").toString(),
                "JUPYTER_RUNTIME_DIR", prefix.resolve("runtime").toString(),
                "SKIFF_HOME", skiffHome.toString(),
                "SKIFF_KERNEL_NAME", KERNEL_NAME,
                "PYTHONDONTWRITEBYTECODE", "1");
    }

    /** Runs a command in {@code directory}, failing the test with its output when it fails or times out. */
    static String run(List<String> command, Path directory, Map<String, String> environment, long timeoutSeconds)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("jupyter-client", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        System.out.println(output);
        if (!finished) {
            fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s. Output:\n" + output);
        }
        if (process.exitValue() != 0) {
            fail(String.join(" ", command) + " failed with exit status " + process.exitValue() + ". Output:\n" + output);
        }
        return output;
    }
}
