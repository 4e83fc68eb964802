package dev.skiff.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import dev.skiff.Image;
import dev.skiff.InvalidException;
import dev.skiff.ImageBuildException;
import dev.skiff.SkiffException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds {@link Image}s on a Docker daemon without a Dockerfile: each step runs in, or copies into, a
 * container of the previous layer, which is then committed as {@code skiff-image:HASH}. A layer
 * that exists is reused, so an unchanged chain costs one lookup per step. Step output streams to
 * the build log (standard error and the {@code dev.skiff.docker.ImageBuilder} logger). Thread-safe:
 * one image is built once even when several workers ask for it at the same time.
 */
public final class ImageBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(ImageBuilder.class);
    /** The locally built base image that {@link Image#debianSlim()} falls back to offline. */
    public static final String OFFLINE_BASE = "skiff/debian-jre:bookworm";
    /** The folder for the jars of {@link Image#mavenInstall}, which is on the workers' classpath. */
    static final String MAVEN_FOLDER = "/opt/skiff/maven";
    private static final String REPOSITORY = "skiff-image";
    private static final int LOG_TAIL_LINES = 20;

    private final DockerConnection docker;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final MavenArtifacts maven = new MavenArtifacts();
    /** The base image of {@link Image#debianSlim()} per daemon address, found once per process. */
    private static final Map<String, String> DEBIAN_SLIM_BASES = new ConcurrentHashMap<>();
    /** Build containers of this JVM that are running now, by container id, with their connection. */
    private static final Map<String, DockerConnection> RUNNING_BUILDS = new ConcurrentHashMap<>();
    private static final String LABEL_BUILD = "dev.skiff.image-build";

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ImageBuilder::removeRunningBuilds, "skiff-image-build-cleanup"));
    }
    private Consumer<String> buildLog = line -> System.err.println("skiff image: " + line);

    public ImageBuilder(DockerConnection docker) {
        this.docker = docker;
    }

    /** Sends build output to {@code log} instead of standard error. */
    public ImageBuilder buildLog(Consumer<String> log) {
        this.buildLog = log;
        return this;
    }

    /**
     * Builds {@code image} where needed and returns a reference to it on the daemon.
     *
     * @throws ImageBuildException when a step fails, naming it and the tail of its log
     * @throws SkiffException when the base image is missing and cannot be pulled
     */
    public String build(Image image) {
        String current = base(image);
        List<Image.Step> steps = image.steps();
        for (int i = 0; i < steps.size(); i++) {
            Image.Step step = steps.get(i);
            String tag = REPOSITORY + ":" + hash(current, step, image, i);
            Object lock = locks.computeIfAbsent(tag, t -> new Object());
            synchronized (lock) {
                if (!exists(tag)) {
                    String label = "step " + (i + 1) + " of " + steps.size() + ", " + step.describe();
                    long started = System.nanoTime();
                    buildLog.accept("building " + label);
                    buildStep(current, step, tag, label, step.describe());
                    LOG.info("Built layer {} ({}) in {} ms", tag, label, (System.nanoTime() - started) / 1_000_000);
                }
            }
            current = tag;
        }
        return current;
    }

    private static String hash(String parent, Image.Step step, Image image, int index) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(parent.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            // The id of the image up to this step covers the step's arguments and the files it copies.
            Image prefix = image;
            for (int j = image.steps().size() - 1; j > index; j--) {
                prefix = prefix.parent();
            }
            digest.update(prefix.id().getBytes(StandardCharsets.UTF_8));
            digest.update(step.describe().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Returns the base image on the daemon, pulling it when missing; Debian slim falls back offline. */
    private String base(Image image) {
        if (image.snapshotBackend() != null) {
            if (!image.snapshotBackend().equals("docker")) {
                throw new InvalidException("The image " + image + " is a snapshot of a " + image.snapshotBackend()
                        + " sandbox, which Docker cannot start from; snapshot a sandbox created with backend(\"docker\").");
            }
            if (!exists(image.base())) {
                throw new dev.skiff.NotFoundException("The snapshot image " + image.base() + " no longer exists on the "
                        + "Docker daemon at " + docker.host() + "; create the snapshot again with SandboxSnapshot.create.");
            }
            return image.base();
        }
        if (!image.isDebianSlim()) {
            String reference = image.base();
            if (!exists(reference) && !pull(reference)) {
                throw WorkerImages.missing(reference, docker, "pulling it failed. Pull or build it on that daemon "
                        + "(docker pull " + reference + "), or start from Image.debianSlim().");
            }
            return reference;
        }
        String daemon = docker.host().toString();
        String known = DEBIAN_SLIM_BASES.get(daemon);
        if (known != null && exists(known)) {
            return known;
        }
        synchronized (DEBIAN_SLIM_BASES) {
            known = DEBIAN_SLIM_BASES.get(daemon);
            if (known == null || !exists(known)) {
                known = debianSlimWithJava();
                DEBIAN_SLIM_BASES.put(daemon, known);
            }
            return known;
        }
    }

    private String debianSlimWithJava() {
        if (exists(Image.DEBIAN_SLIM) || pull(Image.DEBIAN_SLIM)) {
            try {
                return build(Image.fromRegistry(Image.DEBIAN_SLIM).aptInstall("openjdk-17-jre-headless"));
            } catch (ImageBuildException e) {
                LOG.warn("Cannot add Java to {}: {}", Image.DEBIAN_SLIM, e.getMessage());
            }
        }
        if (!exists(OFFLINE_BASE)) {
            throw WorkerImages.missing(OFFLINE_BASE, docker, "no registry gave " + Image.DEBIAN_SLIM + " either. "
                    + "Build the offline base image on that daemon's machine with scripts/docker-engine.sh image.");
        }
        String message = "No registry is reachable for " + Image.DEBIAN_SLIM + "; Image.debianSlim() uses the local "
                + "base image " + OFFLINE_BASE + " instead.";
        LOG.info(message);
        buildLog.accept(message);
        return OFFLINE_BASE;
    }

    private boolean exists(String reference) {
        try {
            docker.client().inspectImageCmd(reference).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private boolean pull(String reference) {
        buildLog.accept("pulling " + reference);
        PullResult result = new PullResult();
        try {
            docker.client().pullImageCmd(reference).exec(result);
            if (!result.awaitCompletion(300, TimeUnit.SECONDS)) {
                LOG.info("Pulling {} did not finish within 300 s", reference);
                return false;
            }
        } catch (DockerException e) {
            result.error = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (result.error != null) {
            LOG.info("Pulling {} failed: {}", reference, DockerConnection.rootMessage(result.error));
            return false;
        }
        return exists(reference);
    }

    /** Collects a pull's outcome without the template's own error log, since a failed pull is expected offline. */
    private static final class PullResult extends ResultCallback.Adapter<com.github.dockerjava.api.model.PullResponseItem> {
        volatile Throwable error;

        @Override
        public void onError(Throwable throwable) {
            error = throwable;
            try {
                close();
            } catch (IOException e) {
                // Closing only releases the stream.
            }
        }
    }

    private void buildStep(String parent, Image.Step step, String tag, String label, String name) {
        List<String> args = step.arguments();
        switch (step.kind()) {
            case APT_INSTALL -> run(parent, List.of("sh", "-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive "
                    + "apt-get install -y -qq --no-install-recommends " + String.join(" ", args)
                    + " && rm -rf /var/lib/apt/lists/*"), null, null, tag, label, name);
            case RUN_COMMANDS -> run(parent, List.of("sh", "-ec", String.join("\n", args)), null, null, tag, label, name);
            case ENV -> run(parent, List.of("true"), args, null, tag, label, name);
            case WORKDIR -> run(parent, List.of("mkdir", "-p", args.get(0)), null, args.get(0), tag, label, name);
            case ADD_LOCAL_FILE -> layerFromFiles(parent, List.of(Tarball.Entry.file(Path.of(args.get(0)), args.get(1))),
                    List.of(), null, tag);
            case ADD_LOCAL_DIR -> layerFromFiles(parent, List.of(Tarball.Entry.tree(Path.of(args.get(0)), args.get(1))),
                    List.of(), null, tag);
            case MAVEN_INSTALL -> {
                List<Tarball.Entry> jars = new ArrayList<>();
                for (String coordinates : args) {
                    try {
                        for (Path jar : maven.resolve(coordinates)) {
                            jars.add(Tarball.Entry.file(jar, MAVEN_FOLDER + "/" + jar.getFileName()));
                        }
                    } catch (Exception e) {
                        throw new ImageBuildException("Image build failed at " + label + ": cannot resolve "
                                + coordinates + ": " + DockerConnection.rootMessage(e), step.describe(), "");
                    }
                }
                layerFromFiles(parent, jars, List.of(), null, tag);
            }
            default -> throw new IllegalStateException("Unknown image step " + step.kind());
        }
    }

    /** Copies files into a container of {@code parent} and commits it as {@code tag}; returns the tag. */
    String layerFromFiles(String parent, List<Tarball.Entry> entries, List<String> env, String workdir, String tag) {
        DockerClient client = docker.client();
        String container = create(parent, List.of("true"), env, workdir);
        try (InputStream tar = Tarball.stream(entries)) {
            client.copyArchiveToContainerCmd(container).withTarInputStream(tar).withRemotePath("/").exec();
            commit(container, tag);
            return tag;
        } catch (IOException e) {
            throw new SkiffException("Copying files into the image " + tag + " failed: " + e.getMessage(), e);
        } finally {
            remove(container);
        }
    }

    /**
     * Runs {@code command} in a container of {@code parent} and commits it as {@code tag}, or only
     * runs it when {@code tag} is null; throws when it fails.
     */
    void runAndCommit(String parent, List<String> command, String tag, String label) {
        run(parent, command, null, null, tag, label, label);
    }

    /** Runs {@code command} in a container of {@code parent}; commits it as {@code tag} when it succeeds. */
    private void run(String parent, List<String> command, List<String> env, String workdir, String tag, String label,
            String name) {
        DockerClient client = docker.client();
        String container = create(parent, command, env, workdir);
        Deque<String> tail = new ArrayDeque<>();
        try {
            client.startContainerCmd(container).exec();
            ResultCallback.Adapter<Frame> logs = client.logContainerCmd(container).withStdOut(true).withStdErr(true)
                    .withFollowStream(true).exec(new ResultCallback.Adapter<>() {
                        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

                        @Override
                        public void onNext(Frame frame) {
                            for (byte b : frame.getPayload()) {
                                if (b == '\n') {
                                    emit();
                                } else {
                                    line.write(b);
                                }
                            }
                        }

                        @Override
                        public void onComplete() {
                            if (line.size() > 0) {
                                emit();
                            }
                            super.onComplete();
                        }

                        private void emit() {
                            String text = line.toString(StandardCharsets.UTF_8);
                            line.reset();
                            synchronized (tail) {
                                tail.addLast(text);
                                while (tail.size() > LOG_TAIL_LINES) {
                                    tail.removeFirst();
                                }
                            }
                            buildLog.accept(text);
                        }
                    });
            Integer status = client.waitContainerCmd(container).start().awaitStatusCode();
            logs.awaitCompletion(5, TimeUnit.SECONDS);
            logs.close();
            if (status == null || status != 0) {
                String lines;
                synchronized (tail) {
                    lines = String.join("\n", tail);
                }
                throw new ImageBuildException("Image build failed at " + label + " (exit status " + status + ")"
                        + (lines.isBlank() ? "." : "; its last output lines:\n" + lines), name, lines);
            }
            if (tag != null) {
                commit(container, tag);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SkiffException("Interrupted while building the image at " + label, e);
        } catch (IOException e) {
            throw new SkiffException("Reading the build log of " + label + " failed: " + e.getMessage(), e);
        } finally {
            remove(container);
        }
    }

    /**
     * Creates a build container. Besides the build label it carries this JVM's host and process id,
     * so that the next backend on this machine removes it if this JVM dies before it does.
     */
    private String create(String parent, List<String> command, List<String> env, String workdir) {
        CreateContainerCmd create = docker.client().createContainerCmd(parent).withCmd(command)
                .withLabels(Map.of(LABEL_BUILD, "true", DockerBackend.LABEL_ENGINE_HOST, DockerBackend.hostName(),
                        DockerBackend.LABEL_ENGINE_PID, Long.toString(ProcessHandle.current().pid())));
        if (env != null && !env.isEmpty()) {
            create.withEnv(env);
        }
        if (workdir != null) {
            create.withWorkingDir(workdir);
        }
        String container = create.exec().getId();
        RUNNING_BUILDS.put(container, docker);
        return container;
    }

    /** Commits a build container, blanking its own labels so that containers made from the layer do not inherit them. */
    private void commit(String container, String tag) {
        int colon = tag.lastIndexOf(':');
        docker.client().commitCmd(container).withRepository(tag.substring(0, colon)).withTag(tag.substring(colon + 1))
                .withLabels(Map.of(LABEL_BUILD, "", DockerBackend.LABEL_ENGINE_HOST, "",
                        DockerBackend.LABEL_ENGINE_PID, ""))
                .exec();
    }

    private void remove(String container) {
        remove(docker, container);
        RUNNING_BUILDS.remove(container);
    }

    private static void remove(DockerConnection connection, String container) {
        try {
            connection.client().removeContainerCmd(container).withForce(true).exec();
        } catch (DockerException e) {
            LOG.debug("Removing build container {} failed: {}", container, e.getMessage());
        }
    }

    /** Removes the build containers still running when the JVM exits, for example on Ctrl-C during a build. */
    private static void removeRunningBuilds() {
        RUNNING_BUILDS.forEach((container, connection) -> {
            LOG.info("Removing build container {} as the JVM exits", DockerBackend.shortId(container));
            remove(connection, container);
        });
    }
}
