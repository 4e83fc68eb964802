package dev.skiff.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.skiff.Image;
import dev.skiff.SkiffException;
import dev.skiff.worker.WorkerMain;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker images: the function's {@link Image}, built by {@link ImageBuilder}, plus one layer with
 * the worker's classpath under {@code /opt/skiff/cp}. That layer is keyed by the classpath's
 * names, sizes and modification times, so it is built once per build of the caller's code.
 * Concurrent requests for one image wait for a single build. Thread-safe.
 */
final class WorkerImages {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerImages.class);
    /** The folder of a worker image that contains the copied classpath entries. */
    static final String CLASSPATH_FOLDER = "/opt/skiff/cp";
    /** The classpath of a worker in its container: every jar and folder copied in, and Maven artifacts. */
    static final String CLASSPATH = CLASSPATH_FOLDER + "/classes:" + CLASSPATH_FOLDER + "/jars/*:"
            + ImageBuilder.MAVEN_FOLDER + "/*";
    private static final String REPOSITORY = "skiff-worker";
    /** The class data archive that a worker image records once and its workers start from. */
    static final String ARCHIVE = "/opt/skiff/worker.jsa";
    /** JVM options of workers in containers; the archive records classes for these. */
    static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
            "-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off");

    private final DockerConnection docker;
    private final ImageBuilder builder;
    private final Map<String, CompletableFuture<String>> builds = new ConcurrentHashMap<>();

    WorkerImages(DockerConnection docker) {
        this.docker = docker;
        this.builder = new ImageBuilder(docker);
    }

    ImageBuilder builder() {
        return builder;
    }

    /** Returns the reference of the worker image for {@code image} (null: the default) and {@code classpath}. */
    String workerImage(Image image, List<String> classpath) {
        String base = builder.build(image == null ? Image.debianSlim() : image);
        String tag = REPOSITORY + ":" + key(base, classpath);
        CompletableFuture<String> build = builds.computeIfAbsent(tag, t -> new CompletableFuture<>());
        if (build.isDone()) {
            return join(build);
        }
        synchronized (build) {
            if (!build.isDone()) {
                try {
                    build.complete(buildWorkerLayer(base, tag, classpath));
                } catch (RuntimeException e) {
                    builds.remove(tag);
                    build.completeExceptionally(e);
                }
            }
        }
        return join(build);
    }

    private boolean exists(String reference) {
        try {
            docker.client().inspectImageCmd(reference).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /**
     * Returns {@code base} when it has {@code java} on its path, else the image with Debian's Java 17
     * runtime installed on top, since every worker runs a JVM.
     */
    private String withJava(String base) {
        try {
            builder.runAndCommit(base, List.of("sh", "-c", "command -v java > /dev/null"), null, "checking for java");
            return base;
        } catch (SkiffException missing) {
            LOG.info("Image {} has no java; installing openjdk-17-jre-headless for its workers", base);
        }
        try {
            return builder.build(Image.fromRegistry(base).aptInstall("openjdk-17-jre-headless"));
        } catch (SkiffException e) {
            throw new SkiffException("Image " + base + " has no java on its PATH, and installing "
                    + "openjdk-17-jre-headless into it failed: " + e.getMessage() + " Workers need Java 17 or newer: "
                    + "start from an image that has it, such as Image.debianSlim().", e);
        }
    }

    /** Forgets that {@code tag} was built, after the daemon reported it missing, so that it is built again. */
    void forget(String tag) {
        builds.remove(tag);
    }

    private static String join(CompletableFuture<String> build) {
        try {
            return build.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    private String buildWorkerLayer(String image, String tag, List<String> classpath) {
        DockerClient client = docker.client();
        if (exists(tag)) {
            return tag;
        }
        String base = withJava(image);
        long started = System.nanoTime();

        List<Tarball.Entry> entries = new ArrayList<>();
        int index = 0;
        for (String entry : classpath) {
            Path path = Path.of(entry);
            if (Files.isDirectory(path)) {
                entries.add(Tarball.Entry.tree(path, "opt/skiff/cp/classes"));
            } else if (Files.isRegularFile(path)) {
                // Numbered so that two jars of the same name both arrive, in classpath order.
                entries.add(Tarball.Entry.file(path, String.format("opt/skiff/cp/jars/%03d-%s", index++,
                        path.getFileName())));
            }
        }
        String files = tag + "-files";
        builder.layerFromFiles(base, entries, List.of(), null, files);

        // The JVM archives classes from jars only and rejects a class folder on the classpath.
        boolean folders = classpath.stream().anyMatch(entry -> Files.isDirectory(Path.of(entry)));
        if (folders) {
            LOG.debug("Worker image {} has no class data archive: the classpath has class folders", tag);
            tagAs(files, tag);
        } else {
            recordArchive(files, tag);
        }

        try {
            client.removeImageCmd(files).withNoPrune(true).exec();
        } catch (RuntimeException e) {
            LOG.debug("Keeping the intermediate image {}: {}", files, e.getMessage());
        }
        LOG.info("Built worker image {} with {} classpath entries in {} ms", tag, classpath.size(),
                (System.nanoTime() - started) / 1_000_000);
        return tag;
    }

    /**
     * Commits {@code files} as {@code tag} after a warm-up run that records the worker's class data
     * archive. When the run fails, tags {@code files} as it is: workers then start a little slower,
     * because the JVM ignores a missing archive.
     */
    private void recordArchive(String files, String tag) {
        List<String> warmUp = new ArrayList<>(List.of("java", "-XX:ArchiveClassesAtExit=" + ARCHIVE));
        warmUp.addAll(JVM_OPTIONS);
        warmUp.addAll(List.of("-cp", CLASSPATH, WorkerMain.class.getName(), WorkerMain.WARM_UP));
        try {
            builder.runAndCommit(files, warmUp, tag, "recording the worker's class data archive");
        } catch (SkiffException e) {
            LOG.warn("Worker image {} has no class data archive: {}", tag, e.getMessage());
            tagAs(files, tag);
        }
    }

    private void tagAs(String image, String tag) {
        int colon = tag.lastIndexOf(':');
        docker.client().tagImageCmd(image, tag.substring(0, colon), tag.substring(colon + 1)).exec();
    }

    /** Hashes the base image and each classpath entry's name, size and modification time. */
    private static String key(String base, List<String> classpath) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(base.getBytes(StandardCharsets.UTF_8));
            for (String entry : classpath) {
                digest.update((entry + File.pathSeparator).getBytes(StandardCharsets.UTF_8));
                Path path = Path.of(entry);
                if (Files.isDirectory(path)) {
                    try (Stream<Path> files = Files.walk(path)) {
                        for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                            digest.update(stamp(file).getBytes(StandardCharsets.UTF_8));
                        }
                    }
                } else if (Files.isRegularFile(path)) {
                    digest.update(stamp(path).getBytes(StandardCharsets.UTF_8));
                }
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the classpath to build a worker image", e);
        }
    }

    private static String stamp(Path file) throws IOException {
        return file + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file).toMillis() + ";";
    }

    static SkiffException missing(String reference, DockerConnection docker, String how) {
        return new SkiffException("Image " + reference + " is not on the Docker daemon at " + docker.host() + ": " + how);
    }
}
