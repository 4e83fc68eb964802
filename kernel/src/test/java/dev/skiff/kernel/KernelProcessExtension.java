package dev.skiff.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A kernel in its own JVM that a test class shares: started in a new temporary folder before the
 * class's tests, stopped and deleted after them. Register it in a static field with
 * {@code @RegisterExtension}.
 */
final class KernelProcessExtension implements BeforeAllCallback, AfterAllCallback {
    private final Duration replyTimeout;
    private Path directory;
    private KernelProcess kernel;

    /** Creates the extension. {@link #run} waits {@code replyTimeout} at most for each reply. */
    KernelProcessExtension(Duration replyTimeout) {
        this.replyTimeout = replyTimeout;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        directory = Files.createTempDirectory("skiff-kernel-test");
        kernel = KernelProcess.start(directory);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (kernel != null) {
            kernel.close();
        }
        if (directory != null) {
            try (Stream<Path> paths = Files.walk(directory)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    /** Returns the temporary folder of the kernel, where tests may add files too. */
    Path directory() {
        return directory;
    }

    /** Returns the running kernel. */
    KernelProcess get() {
        return kernel;
    }

    /** Runs a cell and waits for its reply and outputs. */
    ExecutedCell run(String code) {
        return ExecutedCell.run(kernel, code, replyTimeout);
    }
}
