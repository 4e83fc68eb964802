package dev.skiff.engine;

import dev.skiff.SkiffHome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Class data sharing archives that shorten worker start: the first worker for a classpath records
 * the classes it loaded ({@code -XX:ArchiveClassesAtExit}) when it stops normally, and later workers
 * map that archive ({@code -XX:SharedArchiveFile}). Archives live in {@code SKIFF_HOME/cds}, one per
 * JVM and classpath; a classpath with a class folder on it gets none, because the JVM archives
 * classes from jars only. {@code SKIFF_WORKER_CDS=false} turns this off. Thread-safe.
 */
final class ClassDataArchives {
    private static final Logger LOG = LoggerFactory.getLogger(ClassDataArchives.class);

    /** One worker's use of an archive: the JVM options to add, and a hook for when it exits. */
    interface Use {
        List<String> jvmOptions();

        void workerExited();
    }

    private static final Use NONE = new Use() {
        @Override
        public List<String> jvmOptions() {
            return List.of();
        }

        @Override
        public void workerExited() {
        }
    };

    private static final int MAX_ARCHIVES = 8;

    private final Path folder;
    private final Set<String> recording = ConcurrentHashMap.newKeySet();

    private ClassDataArchives(Path folder) {
        this.folder = folder;
    }

    static ClassDataArchives fromEnvironment() {
        boolean enabled = !"false".equalsIgnoreCase(System.getenv("SKIFF_WORKER_CDS"));
        return new ClassDataArchives(enabled ? SkiffHome.path().resolve("cds") : null);
    }

    /** Returns how the worker {@code workerId} with {@code classpath} uses an archive. */
    Use use(String classpath, String workerId) {
        if (folder == null || hasDirectory(classpath)) {
            // The JVM archives classes from jars only, and fails the archive when a folder is on the classpath.
            return NONE;
        }
        String key = key(classpath);
        Path archive = folder.resolve(key + ".jsa");
        if (Files.isRegularFile(archive)) {
            return new Use() {
                @Override
                public List<String> jvmOptions() {
                    return List.of("-XX:SharedArchiveFile=" + archive);
                }

                @Override
                public void workerExited() {
                }
            };
        }
        if (!recording.add(key)) {
            return NONE;
        }
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            LOG.warn("Cannot create the class data folder {}; workers start without an archive: {}", folder,
                    e.toString());
            recording.remove(key);
            return NONE;
        }
        Path recorded = folder.resolve(key + "." + workerId + ".jsa.tmp");
        return new Use() {
            @Override
            public List<String> jvmOptions() {
                return List.of("-XX:ArchiveClassesAtExit=" + recorded);
            }

            @Override
            public void workerExited() {
                publish(recorded, archive, key);
            }
        };
    }

    private void publish(Path recorded, Path archive, String key) {
        try {
            if (Files.isRegularFile(recorded) && Files.size(recorded) > 0) {
                Files.move(recorded, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                LOG.info("Recorded class data archive {} for faster worker starts", archive);
                pruneOldArchives();
            } else {
                Files.deleteIfExists(recorded);
            }
        } catch (IOException e) {
            LOG.warn("Failed to publish class data archive {}: {}", archive, e.toString());
        } finally {
            recording.remove(key);
        }
    }

    private static boolean hasDirectory(String classpath) {
        for (String entry : classpath.split(java.io.File.pathSeparator)) {
            if (Files.isDirectory(Path.of(entry))) {
                return true;
            }
        }
        return false;
    }

    /** Keeps the most recently written archives, because each distinct classpath adds one. */
    private void pruneOldArchives() throws IOException {
        List<Path> archives;
        try (var entries = Files.list(folder)) {
            archives = entries.filter(p -> p.getFileName().toString().endsWith(".jsa"))
                    .sorted(Comparator.comparing(ClassDataArchives::modified).reversed()).toList();
        }
        for (Path old : archives.subList(Math.min(MAX_ARCHIVES, archives.size()), archives.size())) {
            Files.deleteIfExists(old);
        }
    }

    private static FileTime modified(Path path) {
        try {
            return Files.getLastModifiedTime(path);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    /** Returns a key that changes with the JVM, the classpath, or the size or time of any jar on it. */
    private static String key(String classpath) {
        StringBuilder text = new StringBuilder();
        text.append(System.getProperty("java.home")).append('\n').append(System.getProperty("java.vm.version"));
        for (String entry : classpath.split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry);
            text.append('\n').append(entry);
            if (Files.isRegularFile(path)) {
                try {
                    text.append(' ').append(Files.size(path)).append(' ').append(Files.getLastModifiedTime(path));
                } catch (IOException e) {
                    text.append(" unreadable");
                }
            }
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
