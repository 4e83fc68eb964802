package dev.skiff.engine;

import dev.skiff.SkiffException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Packs and unpacks the local backend's snapshots with the system's {@code tar}, which keeps modes, links and owners. */
final class Tar {
    private Tar() {
    }

    /** Writes the contents of {@code folder} to the archive {@code archive}. */
    static void create(Path folder, Path archive) throws IOException {
        run(List.of("tar", "-C", folder.toString(), "-cf", archive.toString(), "."));
    }

    /** Unpacks {@code archive} into the existing folder {@code folder}. */
    static void extract(Path archive, Path folder) throws IOException {
        run(List.of("tar", "-C", folder.toString(), "-xf", archive.toString()));
    }

    private static void run(List<String> command) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw LocalSandboxes.missingCommand("tar", e);
        }
        byte[] output = process.getInputStream().readAllBytes();
        int code;
        try {
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within 10 minutes");
            }
            code = process.exitValue();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while running " + String.join(" ", command), e);
        }
        if (code != 0) {
            throw new SkiffException(String.join(" ", command) + " failed with exit status " + code + ": "
                    + new String(output, StandardCharsets.UTF_8).strip());
        }
    }
}
