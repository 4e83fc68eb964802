package dev.skiff;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
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
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A container image for functions, classes and sandboxes on the Docker backend: a base image and
 * a chain of steps. Immutable: each step returns a new image, so a common base can be shared.
 * Every step is one cached layer, keyed by a content hash of the base, the steps before it and
 * the step itself (file contents included), so an unchanged chain is built once.
 *
 * <pre>{@code
 * Image image = Image.debianSlim().aptInstall("curl").env(Map.of("MODE", "fast")).addLocalDir(Path.of("data"), "/data");
 * }</pre>
 *
 * <p>Workers need a Java runtime in the image; {@link #debianSlim()} has one. Steps run on the
 * daemon; {@link #mavenInstall} resolves artifacts on the caller's side and copies them in.
 */
public final class Image implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Pattern PACKAGE = Pattern.compile("[a-z0-9][a-z0-9+.-]*(=[A-Za-z0-9.+:~-]+)?");
    private static final Pattern COORDINATES = Pattern.compile("[^:\\s]+:[^:\\s]+(:[^:\\s]+){1,3}");
    /** The registry reference that {@link #debianSlim()} starts from. */
    public static final String DEBIAN_SLIM = "debian:bookworm-slim";

    /** The kinds of steps, in the words of build logs and errors. */
    public enum StepKind { APT_INSTALL, RUN_COMMANDS, ENV, WORKDIR, ADD_LOCAL_FILE, ADD_LOCAL_DIR, MAVEN_INSTALL }

    /**
     * One step of an image.
     *
     * @param kind what the step does
     * @param arguments its arguments: packages, commands, NAME=value pairs, a folder, a local path and
     *     a remote path, or Maven coordinates
     */
    public record Step(StepKind kind, List<String> arguments) implements Serializable {
        public Step {
            Objects.requireNonNull(kind, "kind");
            arguments = List.copyOf(arguments);
        }

        /** Returns the step as build logs name it, such as {@code aptInstall(curl, git)}. */
        public String describe() {
            String name = switch (kind) {
                case APT_INSTALL -> "aptInstall";
                case RUN_COMMANDS -> "runCommands";
                case ENV -> "env";
                case WORKDIR -> "workdir";
                case ADD_LOCAL_FILE -> "addLocalFile";
                case ADD_LOCAL_DIR -> "addLocalDir";
                case MAVEN_INSTALL -> "mavenInstall";
            };
            return name + "(" + String.join(", ", arguments) + ")";
        }
    }

    private final String base;
    private final boolean debianSlim;
    private final List<Step> steps;
    /** The sandbox backend that stored this image's base as a snapshot, or null for a registry image. */
    private final String snapshotBackend;

    private Image(String base, boolean debianSlim, List<Step> steps, String snapshotBackend) {
        this.base = base;
        this.debianSlim = debianSlim;
        this.steps = List.copyOf(steps);
        this.snapshotBackend = snapshotBackend;
    }

    /**
     * Starts from a filesystem snapshot that the sandbox backend {@code backend} stored as
     * {@code reference}: a Docker image, or an archive of the local backend. {@link SandboxSnapshot}
     * makes these.
     */
    static Image fromSnapshot(String backend, String reference) {
        return new Image(reference, false, List.of(), backend);
    }

    /** Starts from an image in a registry or already on the daemon, such as {@code eclipse-temurin:17-jre}. */
    public static Image fromRegistry(String reference) {
        if (reference == null || reference.isBlank() || reference.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidException("Invalid image reference '" + reference
                    + "': give a name such as debian:bookworm-slim or registry.example.com/team/app:1.0.");
        }
        return new Image(reference, false, List.of(), null);
    }

    /**
     * Starts from Debian 12 slim with a Java runtime. Where no registry is reachable, the backend
     * uses the locally built base image instead and logs that once.
     */
    public static Image debianSlim() {
        return new Image(DEBIAN_SLIM, true, List.of(), null);
    }

    /** Installs Debian packages with apt-get. */
    public Image aptInstall(String... packages) {
        if (packages.length == 0) {
            throw new InvalidException("aptInstall needs at least one package name.");
        }
        for (String name : packages) {
            if (name == null || !PACKAGE.matcher(name).matches()) {
                throw new InvalidException("Invalid Debian package name '" + name
                        + "': use names such as curl or openjdk-17-jre-headless, optionally with =VERSION.");
            }
        }
        return with(new Step(StepKind.APT_INSTALL, List.of(packages)));
    }

    /** Runs shell commands, each with {@code sh -c}, in order; a command that fails fails the build. */
    public Image runCommands(String... commands) {
        if (commands.length == 0) {
            throw new InvalidException("runCommands needs at least one command.");
        }
        for (String command : commands) {
            if (command == null || command.isBlank()) {
                throw new InvalidException("runCommands was given an empty command.");
            }
        }
        return with(new Step(StepKind.RUN_COMMANDS, List.of(commands)));
    }

    /** Sets environment variables in the image. */
    public Image env(Map<String, String> variables) {
        List<String> pairs = new ArrayList<>();
        new TreeMap<>(variables).forEach((name, value) -> {
            if (name == null || name.isEmpty() || name.contains("=") || value == null) {
                throw new InvalidException("Invalid environment variable " + name + "=" + value
                        + ": the name must be non-empty without '=' and the value non-null.");
            }
            pairs.add(name + "=" + value);
        });
        if (pairs.isEmpty()) {
            throw new InvalidException("env needs at least one variable.");
        }
        return with(new Step(StepKind.ENV, pairs));
    }

    /** Sets the working folder of later steps and of workers; it must be absolute. */
    public Image workdir(String folder) {
        requireAbsolute("workdir", folder);
        return with(new Step(StepKind.WORKDIR, List.of(folder)));
    }

    /** Copies a file from this machine to {@code remotePath} in the image. */
    public Image addLocalFile(Path localFile, String remotePath) {
        if (localFile == null || !Files.isRegularFile(localFile)) {
            throw new InvalidException("addLocalFile: " + localFile + " is not a file on this machine.");
        }
        requireAbsolute("addLocalFile", remotePath);
        return with(new Step(StepKind.ADD_LOCAL_FILE,
                List.of(localFile.toAbsolutePath().normalize().toString(), remotePath)));
    }

    /** Copies a folder from this machine, with everything in it, to {@code remotePath} in the image. */
    public Image addLocalDir(Path localDir, String remotePath) {
        if (localDir == null || !Files.isDirectory(localDir)) {
            throw new InvalidException("addLocalDir: " + localDir + " is not a folder on this machine.");
        }
        requireAbsolute("addLocalDir", remotePath);
        return with(new Step(StepKind.ADD_LOCAL_DIR,
                List.of(localDir.toAbsolutePath().normalize().toString(), remotePath)));
    }

    /**
     * Adds Maven artifacts, such as {@code org.apache.commons:commons-lang3:3.17.0}, with their runtime
     * dependencies, to the workers' classpath. They are resolved on this machine and copied in.
     */
    public Image mavenInstall(String... coordinates) {
        if (coordinates.length == 0) {
            throw new InvalidException("mavenInstall needs at least one artifact.");
        }
        for (String coordinate : coordinates) {
            if (coordinate == null || !COORDINATES.matcher(coordinate).matches()) {
                throw new InvalidException("Invalid Maven coordinates '" + coordinate
                        + "': use group:artifact:version, such as org.apache.commons:commons-lang3:3.17.0.");
            }
        }
        return with(new Step(StepKind.MAVEN_INSTALL, List.of(coordinates)));
    }

    /** Returns the base image reference. */
    public String base() {
        return base;
    }

    /** Returns true when this image starts from {@link #debianSlim()}, which has an offline fallback. */
    public boolean isDebianSlim() {
        return debianSlim;
    }

    /**
     * Returns the sandbox backend ({@code docker} or {@code local}) whose snapshot this image starts
     * from, or null when it starts from a registry image.
     */
    public String snapshotBackend() {
        return snapshotBackend;
    }

    public List<Step> steps() {
        return steps;
    }

    /** Returns this image without its last step; the base image for an image without steps. */
    public Image parent() {
        if (steps.isEmpty()) {
            return this;
        }
        return new Image(base, debianSlim, steps.subList(0, steps.size() - 1), snapshotBackend);
    }

    /**
     * Returns the content hash of this image: the base, every step and the contents of every local
     * file the steps copy. It changes whenever the built image would.
     */
    public String id() {
        MessageDigest digest = sha256();
        update(digest, base);
        if (snapshotBackend != null) {
            update(digest, "snapshot:" + snapshotBackend);
        }
        for (Step step : steps) {
            update(digest, step.kind().name());
            for (String argument : step.arguments()) {
                update(digest, argument);
            }
            if (step.kind() == StepKind.ADD_LOCAL_FILE || step.kind() == StepKind.ADD_LOCAL_DIR) {
                hashTree(digest, Path.of(step.arguments().get(0)));
            }
        }
        return HexFormat.of().formatHex(digest.digest(), 0, 16);
    }

    private Image with(Step step) {
        List<Step> more = new ArrayList<>(steps);
        more.add(step);
        return new Image(base, debianSlim, more, snapshotBackend);
    }

    private static void requireAbsolute(String step, String path) {
        if (path == null || !path.startsWith("/")) {
            throw new InvalidException(step + ": '" + path + "' must be an absolute path in the image, such as /data.");
        }
    }

    private static void hashTree(MessageDigest digest, Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted().toList()) {
                update(digest, root.relativize(path).toString());
                if (Files.isRegularFile(path)) {
                    try (InputStream in = Files.newInputStream(path)) {
                        byte[] buffer = new byte[65536];
                        for (int read; (read = in.read(buffer)) > 0; ) {
                            digest.update(buffer, 0, read);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + root + " to hash the image", e);
        }
    }

    private static void update(MessageDigest digest, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        digest.update((byte) (bytes.length >>> 24));
        digest.update((byte) (bytes.length >>> 16));
        digest.update((byte) (bytes.length >>> 8));
        digest.update((byte) bytes.length);
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Image image && image.base.equals(base) && image.debianSlim == debianSlim
                && image.steps.equals(steps) && Objects.equals(image.snapshotBackend, snapshotBackend);
    }

    @Override
    public int hashCode() {
        return Objects.hash(base, debianSlim, steps, snapshotBackend);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(debianSlim ? "Image.debianSlim()"
                : snapshotBackend != null ? "SandboxSnapshot(" + snapshotBackend + ", " + base + ")"
                : "Image.fromRegistry(" + base + ")");
        for (Step step : steps) {
            text.append('.').append(step.describe());
        }
        return text.toString();
    }
}
