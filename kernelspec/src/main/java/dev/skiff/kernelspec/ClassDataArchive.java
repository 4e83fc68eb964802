package dev.skiff.kernelspec;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Records the kernel's class data sharing archive ({@code kernel.jsa} in the kernel spec folder)
 * with a training run of {@code dev.skiff.kernel.ClassDataTraining} under
 * {@code -XX:ArchiveClassesAtExit}. A kernel started with the archive maps the classes of its JVM
 * start, JShell and javac from it instead of loading and verifying them again.
 */
final class ClassDataArchive {
    static final String FILE_NAME = "kernel.jsa";
    /** Options that keep the JVM quiet about an archive it cannot use, such as one older than a jar. */
    static final List<String> QUIET_OPTIONS = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    private static final long TRAINING_TIMEOUT_SECONDS = 300;
    private static final String TRAINING_CLASS = "dev.skiff.kernel.ClassDataTraining";

    private ClassDataArchive() {
    }

    /**
     * Records the archive in {@code folder} and returns it, or returns empty after printing why not.
     * An archive from an earlier install is deleted first, because it no longer matches the jars.
     */
    static Optional<Path> record(KernelSpecInstaller.Options options, List<String> jvmOptions, Path folder)
            throws IOException {
        Path archive = folder.resolve(FILE_NAME);
        Files.deleteIfExists(archive);
        for (String entry : options.classpath()) {
            if (Files.isDirectory(Path.of(entry))) {
                // The JVM archives classes from jars only, and a folder on the classpath fails the whole archive.
                System.err.println("No class data archive: the classpath contains the folder " + entry
                        + ", and the JVM archives classes from jars only.");
                return Optional.empty();
            }
        }
        Path recorded = folder.resolve(FILE_NAME + ".tmp");
        Path scratchHome = Files.createTempDirectory("skiff-kernel-training");
        Path log = Files.createTempFile("skiff-kernel-training", ".log");
        try {
            List<String> command = new ArrayList<>();
            command.add(options.java().toString());
            command.addAll(jvmOptions);
            command.add("-XX:ArchiveClassesAtExit=" + recorded);
            command.addAll(QUIET_OPTIONS);
            command.add("-Dskiff.home=" + scratchHome);
            command.add("-cp");
            command.add(String.join(File.pathSeparator, options.classpath()));
            command.add(TRAINING_CLASS);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
            String failure = waitFor(process);
            if (failure == null && (!Files.isRegularFile(recorded) || Files.size(recorded) == 0)) {
                failure = "the JVM wrote no archive";
            }
            if (failure != null) {
                System.err.println("No class data archive: the training run failed (" + failure
                        + "). The kernel starts without one. Output of the run:\n" + tail(log));
                return Optional.empty();
            }
            Files.move(recorded, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return Optional.of(archive);
        } finally {
            Files.deleteIfExists(recorded);
            Files.deleteIfExists(log);
            deleteTree(scratchHome);
        }
    }

    /** Waits for the training run and returns null when it succeeded, else the reason it failed. */
    private static String waitFor(Process process) throws IOException {
        try {
            if (!process.waitFor(TRAINING_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return "it did not finish within " + TRAINING_TIMEOUT_SECONDS + " s";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while recording the class data archive", e);
        }
        return process.exitValue() == 0 ? null : "exit status " + process.exitValue();
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
