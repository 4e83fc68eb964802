package dev.skiff.engine;

import dev.skiff.Image;
import dev.skiff.InvalidException;
import dev.skiff.NotFoundException;
import dev.skiff.SandboxOptions;
import dev.skiff.SkiffException;
import dev.skiff.SkiffHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs sandboxes on this machine without isolation: each is a process group (started with
 * {@code setsid}) whose working folder is a private folder under {@code SKIFF_HOME/sandboxes}.
 * Commands see the whole machine; the private folder stands for the sandbox's root only in Skiff's
 * own paths: the workdir, the file methods and snapshots, which are tar archives of the folder under
 * {@code SKIFF_HOME/snapshots/local}.
 *
 * <p>Sandboxes are visible to the JVM that created them only. A shutdown hook kills their process
 * groups and removes their folders. When a JVM was killed, the next JVM that uses this backend does
 * the same for its sandboxes, which it finds by the owner file in each sandbox's folder.
 */
final class LocalSandboxes implements SandboxBackend {
    private static final Logger LOG = LoggerFactory.getLogger(LocalSandboxes.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    static final String OWNER_FILE = "owner";

    private final Path sandboxes;
    private final Path snapshots;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, runnable -> {
        Thread thread = new Thread(runnable, "skiff-local-sandbox-timer");
        thread.setDaemon(true);
        return thread;
    });
    /** Sandboxes this JVM created and has not removed, by id. */
    private final Map<String, LocalSandbox> created = new ConcurrentHashMap<>();
    private final AtomicBoolean cleanedUp = new AtomicBoolean();

    LocalSandboxes() {
        this(SkiffHome.path());
    }

    LocalSandboxes(Path home) {
        this.sandboxes = home.resolve("sandboxes");
        this.snapshots = home.resolve("snapshots").resolve("local");
    }

    @Override
    public String name() {
        return "local";
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    @Override
    public LocalSandbox create(SandboxOptions options) {
        rejectUnsupported(options);
        if (cleanedUp.compareAndSet(false, true)) {
            removeOrphans();
            Runtime.getRuntime().addShutdownHook(new Thread(this::removeCreated, "skiff-local-sandbox-cleanup"));
        }
        if (WARNED.compareAndSet(false, true)) {
            LOG.warn("Local sandboxes run as plain processes of this machine, without isolation: their commands "
                    + "can read and change any file the JVM's user can. Use backend(\"docker\") for isolation.");
        }
        Path archive = null;
        if (options.image() != null) {
            archive = Path.of(options.image().base());
            if (!Files.isRegularFile(archive)) {
                throw new NotFoundException("The snapshot archive " + archive + " no longer exists; create the "
                        + "snapshot again with SandboxSnapshot.create.");
            }
        }
        synchronized (this) {
            if (options.name() != null) {
                for (LocalSandbox sandbox : created.values()) {
                    if (sandbox.app().equals(options.app()) && options.name().equals(sandbox.sandboxName())) {
                        throw new InvalidException("A sandbox named '" + options.name() + "' already runs in the app '"
                                + options.app() + "'; terminate it, or choose another name.");
                    }
                }
            }
            String sandboxId = "sb-" + HexFormat.of().formatHex(randomBytes());
            Path folder = sandboxes.resolve(sandboxId);
            LocalSandbox sandbox;
            try {
                Files.createDirectories(folder.resolve("root"));
                Files.writeString(folder.resolve(OWNER_FILE), ownerLine(ProcessHandle.current()));
                if (archive != null) {
                    Tar.extract(archive, folder.resolve("root"));
                }
                sandbox = new LocalSandbox(this, sandboxId, folder, options);
            } catch (IOException e) {
                deleteTree(folder);
                throw new UncheckedIOException("Creating local sandbox " + sandboxId + " in " + folder + " failed", e);
            } catch (RuntimeException e) {
                deleteTree(folder);
                throw e;
            }
            created.put(sandboxId, sandbox);
            LOG.info("Started local sandbox {} in {} (app {}{})", sandboxId, folder.resolve("root"), options.app(),
                    options.name() == null ? "" : ", name " + options.name());
            return sandbox;
        }
    }

    private static void rejectUnsupported(SandboxOptions options) {
        List<String> unsupported = new ArrayList<>();
        if (options.cpu() != null) {
            unsupported.add("cpu " + options.cpu());
        }
        if (options.memory() != null) {
            unsupported.add("memory " + options.memory() + " MiB");
        }
        if (!options.gpu().isEmpty()) {
            unsupported.add("gpu " + options.gpu());
        }
        if (!options.volumes().isEmpty()) {
            unsupported.add("volumes " + options.volumes().keySet());
        }
        if (!options.mounts().isEmpty()) {
            unsupported.add("mounts " + options.mounts().keySet());
        }
        if (options.blockNetwork()) {
            unsupported.add("blockNetwork");
        }
        Image image = options.image();
        if (image != null && (!"local".equals(image.snapshotBackend()) || !image.steps().isEmpty())) {
            unsupported.add("image " + image);
        }
        if (!unsupported.isEmpty()) {
            throw new InvalidException("The local sandbox backend cannot apply " + String.join(", ", unsupported)
                    + ": it runs processes on this machine without containers, and takes only images of its own "
                    + "snapshots. Remove these options, or choose backend(\"docker\").");
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** Returns a process's pid and start time, which together tell it apart from a later process with the same pid. */
    static String ownerLine(ProcessHandle process) {
        return process.pid() + " " + process.info().startInstant().map(Object::toString).orElse("?") + "\n";
    }

    /** Returns true when the process that {@link #ownerLine} described still runs. */
    static boolean isAlive(String ownerLine) {
        String[] parts = ownerLine.strip().split(" ");
        if (parts.length != 2) {
            return false;
        }
        try {
            return ProcessHandle.of(Long.parseLong(parts[0]))
                    .filter(ProcessHandle::isAlive)
                    .map(handle -> ownerLine(handle).strip().equals(ownerLine.strip()))
                    .orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Override
    public LocalSandbox find(String sandboxId) {
        LocalSandbox sandbox = created.get(sandboxId);
        if (sandbox == null) {
            throw new NotFoundException("No sandbox has the id '" + sandboxId + "' in this JVM's local sandboxes; "
                    + "it may have been terminated or timed out, or another JVM created it.");
        }
        return sandbox;
    }

    @Override
    public LocalSandbox findByName(String app, String name) {
        for (LocalSandbox sandbox : created.values()) {
            if (sandbox.app().equals(app) && name.equals(sandbox.sandboxName())) {
                return sandbox;
            }
        }
        throw new NotFoundException("No local sandbox is named '" + name + "' in the app '" + app
                + "'; it may have been terminated or timed out.");
    }

    @Override
    public List<Instance> list(Map<String, String> tags) {
        List<Instance> matching = new ArrayList<>();
        for (LocalSandbox sandbox : created.values()) {
            if (sandbox.tags().entrySet().containsAll(tags.entrySet())) {
                matching.add(sandbox);
            }
        }
        return matching;
    }

    /** Archives {@code root} as the snapshot {@code name} and returns the archive's path. */
    String storeSnapshot(String sandboxId, Path root, String name) {
        Path target = snapshots.resolve(name + ".tar");
        try {
            Files.createDirectories(snapshots);
            Path partial = Files.createTempFile(snapshots, name, ".partial");
            try {
                Tar.create(root, partial);
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Archiving local sandbox " + sandboxId + " to " + target + " failed", e);
        }
        LOG.info("Stored the snapshot {} of local sandbox {} in {}", name, sandboxId, target);
        return target.toString();
    }

    @Override
    public String findSnapshot(String name) {
        Path archive = snapshots.resolve(name + ".tar");
        return Files.isRegularFile(archive) ? archive.toString() : null;
    }

    @Override
    public String nameSnapshot(String reference, String name) {
        Path source = Path.of(reference);
        Path target = snapshots.resolve(name + ".tar");
        if (source.equals(target)) {
            return reference;
        }
        try {
            Path partial = Files.createTempFile(snapshots, name, ".partial");
            try {
                Files.copy(source, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new NotFoundException("The snapshot archive " + source + " no longer exists; create the snapshot "
                    + "again with SandboxSnapshot.create.");
        } catch (IOException e) {
            throw new UncheckedIOException("Copying the snapshot " + source + " to " + target + " failed", e);
        }
        return target.toString();
    }

    @Override
    public void deleteSnapshot(String name) {
        try {
            Files.deleteIfExists(snapshots.resolve(name + ".tar"));
        } catch (IOException e) {
            throw new UncheckedIOException("Deleting the local snapshot " + name + " failed", e);
        }
    }

    /** Forgets a removed sandbox. */
    void forget(String sandboxId) {
        created.remove(sandboxId);
    }

    private void removeCreated() {
        for (LocalSandbox sandbox : List.copyOf(created.values())) {
            LOG.info("Removing local sandbox {} as its JVM exits", sandbox.id());
            sandbox.terminate();
        }
    }

    /** Kills the process groups and removes the folders of sandboxes whose JVM no longer runs. */
    private void removeOrphans() {
        if (!Files.isDirectory(sandboxes)) {
            return;
        }
        try (Stream<Path> folders = Files.list(sandboxes)) {
            for (Path folder : folders.toList()) {
                Path owner = folder.resolve(OWNER_FILE);
                String line;
                try {
                    line = Files.readString(owner);
                } catch (IOException e) {
                    // A folder still being created has no owner file yet; leave it alone.
                    continue;
                }
                if (!isAlive(line)) {
                    LOG.info("Removing local sandbox {} left by process {}, which is gone", folder.getFileName(),
                            line.strip());
                    LocalSandbox.killRecordedGroups(folder);
                    deleteTree(folder);
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot list {} to remove orphaned local sandboxes: {}", sandboxes, e.getMessage());
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    LOG.debug("Cannot delete {}: {}", path, e.getMessage());
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Cannot remove {}: {}", root, e.getMessage());
        }
    }

    /** Fails with a clear message when a command the backend relies on is missing. */
    static SkiffException missingCommand(String command, IOException cause) {
        return new SkiffException("The local sandbox backend needs the " + command + " command, which could not "
                + "run: " + cause.getMessage() + ". Install it (Debian: util-linux and tar), or choose "
                + "backend(\"docker\").", cause);
    }
}
