package dev.skiff.kernel;

import dev.skiff.kernel.connection.ConnectionFileException;
import dev.skiff.kernel.connection.ConnectionInfo;
import dev.skiff.kernel.java.JavaKernel;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Starts the Java kernel: {@code java -cp CLASSPATH dev.skiff.kernel.KernelMain -f CONNECTION_FILE}.
 * Exits with status 0 after a {@code shutdown_request}, 1 when the kernel cannot start, and 2 on
 * invalid arguments.
 */
public final class KernelMain {
    private KernelMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (ModuleLayer.boot().findModule("jdk.jshell").isEmpty()) {
            System.err.println("The Skiff Java kernel needs the jdk.jshell module, which this Java runtime ("
                    + System.getProperty("java.home") + ") lacks. Install a JDK 17 or newer, for example"
                    + " with: sudo apt-get install openjdk-17-jdk-headless, and install the kernel again with it.");
            System.exit(1);
        }
        Path connectionFile = connectionFile(args);
        // Kernel logs keep going to the original standard error after cells take System.err over.
        System.setProperty("org.slf4j.simpleLogger.cacheOutputStream", "true");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(KernelMain.class);

        ConnectionInfo connection;
        try {
            connection = ConnectionInfo.read(connectionFile);
        } catch (ConnectionFileException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        } catch (IOException e) {
            System.err.println("Cannot read connection file " + connectionFile + ": " + e);
            System.exit(1);
            return;
        }
        KernelServer server;
        try {
            server = KernelServer.start(connection, JavaKernel.start());
        } catch (IOException e) {
            log.error("The kernel failed to start on {}", connection, e);
            System.exit(1);
            return;
        }
        log.info("Skiff Java kernel started (pid {}) with connection file {}", ProcessHandle.current().pid(),
                connectionFile);
        exitWithParent(server, log);
        while (!server.awaitTermination(Duration.ofDays(1))) {
            log.debug("Kernel still running");
        }
        log.info("Kernel stopped; exiting");
        // Exit explicitly: threads that cells started must not keep the JVM alive.
        System.exit(0);
    }

    /** Stops the kernel when the frontend that started it ends, as Jupyter's {@code JPY_PARENT_PID} variable requests. */
    private static void exitWithParent(KernelServer server, org.slf4j.Logger log) {
        String parent = System.getenv("JPY_PARENT_PID");
        if (parent == null || !parent.matches("\\d+")) {
            return;
        }
        ProcessHandle.of(Long.parseLong(parent)).ifPresentOrElse(
                handle -> handle.onExit().thenRun(() -> {
                    log.warn("Parent process {} ended; shutting the kernel down", parent);
                    server.shutdown();
                }),
                () -> {
                    log.warn("Parent process {} is gone; shutting the kernel down", parent);
                    server.shutdown();
                });
    }

    private static Path connectionFile(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-f") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--connection-file=")) {
                return Path.of(args[i].substring("--connection-file=".length()));
            }
        }
        System.err.println("Usage: java -cp CLASSPATH dev.skiff.kernel.KernelMain -f CONNECTION_FILE");
        System.exit(2);
        return null;
    }
}
