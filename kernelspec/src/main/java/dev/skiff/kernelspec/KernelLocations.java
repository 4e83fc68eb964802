package dev.skiff.kernelspec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Resolves the kernels folder of each {@link Location}, following Jupyter's folder conventions on Linux. */
final class KernelLocations {
    private static final long PYTHON_TIMEOUT_SECONDS = 20;

    private KernelLocations() {
    }

    static Path kernelsFolder(Location location, Path prefix) throws IOException {
        return switch (location) {
            case SYSTEM -> Path.of("/usr/local/share/jupyter/kernels");
            case USER -> userDataFolder().resolve("kernels");
            case SYS_PREFIX -> pythonPrefix().resolve("share/jupyter/kernels");
            case PREFIX -> prefix.toAbsolutePath().resolve("share/jupyter/kernels");
        };
    }

    private static Path userDataFolder() {
        String dataDir = System.getenv("JUPYTER_DATA_DIR");
        if (dataDir != null && !dataDir.isBlank()) {
            return Path.of(dataDir);
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "jupyter");
        }
        return Path.of(System.getProperty("user.home"), ".local", "share", "jupyter");
    }

    /** Returns {@code sys.prefix} of {@code python3}, the environment that Jupyter runs in. */
    private static Path pythonPrefix() throws IOException {
        Process process = new ProcessBuilder("python3", "-c", "import sys; print(sys.prefix)")
                .redirectErrorStream(true).start();
        try {
            if (!process.waitFor(PYTHON_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("python3 did not report sys.prefix within " + PYTHON_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while asking python3 for sys.prefix", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (process.exitValue() != 0 || output.isEmpty()) {
            throw new IOException("--sys-prefix needs python3 on PATH; it failed with: " + output);
        }
        return Path.of(output);
    }
}
