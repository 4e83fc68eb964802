package dev.skiff.engine;

import dev.skiff.ContainerProcess;
import dev.skiff.ExecOptions;
import dev.skiff.SandboxOptions;
import dev.skiff.SkiffException;
import dev.skiff.Tunnel;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One local sandbox: a main process and the commands run in it, each the leader of its own process
 * group, so that killing the group also kills what the command started. The folder {@code root}
 * is the sandbox's {@code /} in the workdir and file paths. The folder above it contains the
 * owner file, the record of process groups and the main process's output ({@code main.log}).
 */
final class LocalSandbox implements SandboxBackend.Instance {
    private static final Logger LOG = LoggerFactory.getLogger(LocalSandbox.class);
    static final int TIMED_OUT = 124;
    static final int TERMINATED = 137;
    private static final String GROUPS_FILE = "groups";

    private final LocalSandboxes backend;
    private final String sandboxId;
    private final Path folder;
    private final Path root;
    private final String app;
    private final String name;
    private final List<Integer> ports;
    private final Map<String, String> environment;
    private final String workdir;
    private volatile Map<String, String> tags;
    private final Process main;
    private final Set<Process> commands = ConcurrentHashMap.newKeySet();
    /** The process group of every process started in the sandbox, running or not: their children may still run. */
    private final Set<Long> groups = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Integer> finished = new CompletableFuture<>();
    /** The way this JVM ended the sandbox; null while it runs or after its main process exited by itself. */
    private volatile SandboxBackend.End endedHere;
    private volatile Integer endedCode;
    private final SandboxLimits limits;

    LocalSandbox(LocalSandboxes backend, String sandboxId, Path folder, SandboxOptions options) throws IOException {
        this.backend = backend;
        this.sandboxId = sandboxId;
        this.folder = folder;
        this.root = folder.resolve("root");
        this.app = options.app();
        this.name = options.name();
        this.ports = options.ports();
        this.environment = options.environment();
        this.workdir = options.workdir();
        this.tags = Map.copyOf(options.tags());
        List<String> command = options.command().isEmpty()
                ? List.of("sleep", Long.toString(options.timeout().toSeconds() + 1))
                : options.command();
        Path log = folder.resolve("main.log");
        ProcessBuilder builder = processBuilder(command, workdir, environment)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true);
        this.main = start(builder, command);
        main.onExit().thenRun(this::mainExited);
        limits = new SandboxLimits(backend.timers(), options.timeout(), options.idleTimeout(),
                reason -> end(SandboxBackend.End.TIMED_OUT, TIMED_OUT, reason));
    }

    /** Returns a builder that runs {@code command} as a new session's leader, in {@code workdir} under the root. */
    private ProcessBuilder processBuilder(List<String> command, String workdir, Map<String, String> variables)
            throws IOException {
        Path directory = workdir == null ? root : resolve(workdir);
        Files.createDirectories(directory);
        List<String> words = new ArrayList<>(command.size() + 1);
        words.add("setsid");
        words.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(words).directory(directory.toFile());
        builder.environment().putAll(variables);
        return builder;
    }

    /** Starts a process group and records it, so that a later JVM can kill it if this one is killed. */
    private Process start(ProcessBuilder builder, List<String> command) {
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("\"setsid\"")) {
                throw LocalSandboxes.missingCommand("setsid", e);
            }
            throw new SkiffException("Cannot start " + command + " in local sandbox " + sandboxId + ": "
                    + e.getMessage(), e);
        }
        groups.add(process.pid());
        try {
            Files.writeString(folder.resolve(GROUPS_FILE), LocalSandboxes.ownerLine(process.toHandle()),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.warn("Cannot record process group {} of local sandbox {}: {}", process.pid(), sandboxId, e.getMessage());
        }
        return process;
    }

    String app() {
        return app;
    }

    String sandboxName() {
        return name;
    }

    @Override
    public String id() {
        return sandboxId;
    }

    @Override
    public String backend() {
        return "local";
    }

    @Override
    public ContainerProcess exec(ExecOptions options, List<String> command) {
        if (finished.isDone() || endedHere != null) {
            throw new SkiffException("Sandbox " + sandboxId + " has ended with exit code " + poll()
                    + "; create a new sandbox to run " + command + ".");
        }
        Map<String, String> variables = new LinkedHashMap<>(environment);
        variables.putAll(options.environment());
        Process process;
        try {
            process = start(processBuilder(command, options.workdir() != null ? options.workdir() : workdir,
                    variables), command);
        } catch (IOException e) {
            throw new UncheckedIOException("Preparing the working folder of " + command + " in local sandbox "
                    + sandboxId + " failed", e);
        }
        limits.execStarted();
        commands.add(process);
        LocalProcess handle = new LocalProcess(process, options.timeout(), backend.timers(), this::killGroup);
        process.onExit().thenRun(() -> {
            commands.remove(process);
            limits.execEnded();
        });
        return handle;
    }

    /** Completes {@link #finished} when the main process ended by itself; {@link #end} completes it after its clean-up otherwise. */
    private void mainExited() {
        synchronized (this) {
            if (endedHere != null) {
                return;
            }
        }
        finished.complete(main.exitValue());
    }

    @Override
    public void terminate() {
        end(SandboxBackend.End.TERMINATED, TERMINATED, "was terminated");
    }

    /** Kills every process group of the sandbox and removes its folder, unless this JVM already did. */
    private void end(SandboxBackend.End end, int exitCode, String reason) {
        synchronized (this) {
            if (endedHere != null) {
                return;
            }
            if (main.isAlive()) {
                endedHere = end;
                endedCode = exitCode;
            } else {
                endedHere = SandboxBackend.End.EXITED;
                endedCode = main.exitValue();
            }
        }
        limits.cancel();
        LOG.info("Local sandbox {} {}; killing its processes and removing {} (exit code {})", sandboxId, reason,
                folder, endedCode);
        // Every group, also those whose leader already exited: they may still hold its background jobs.
        List<ProcessHandle> descendants = new ArrayList<>(main.descendants().toList());
        commands.forEach(command -> descendants.addAll(command.descendants().toList()));
        killGroups(groups);
        descendants.forEach(ProcessHandle::destroyForcibly);
        main.destroyForcibly();
        try {
            main.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LocalSandboxes.deleteTree(folder);
        backend.forget(sandboxId);
        finished.complete(endedCode);
    }

    /** Sends SIGKILL to the process group that {@code process} leads, and to its descendants that left the group. */
    private void killGroup(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        killGroups(List.of(process.pid()));
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Sends SIGKILL to the process groups {@code groupIds} with one {@code kill} command; a group that is gone is skipped. */
    private static void killGroups(java.util.Collection<Long> groupIds) {
        if (groupIds.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", "-KILL", "--"));
        groupIds.forEach(id -> command.add("-" + id));
        try {
            Process kill = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            LOG.debug("{} failed: {}", command, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Kills the process groups recorded in {@code folder}, for a sandbox whose JVM is gone. A group
     * outlives its leader while children remain, so every recorded group gets SIGKILL.
     */
    static void killRecordedGroups(Path folder) {
        List<String> lines;
        try {
            lines = Files.readAllLines(folder.resolve(GROUPS_FILE));
        } catch (IOException e) {
            return;
        }
        List<Long> groupIds = new ArrayList<>();
        for (String line : lines) {
            try {
                groupIds.add(Long.parseLong(line.strip().split(" ")[0]));
            } catch (NumberFormatException e) {
                LOG.debug("Skipping the unreadable group record '{}' in {}", line, folder);
            }
        }
        killGroups(groupIds);
    }

    @Override
    public Integer poll() {
        Integer code = endedCode;
        if (code != null) {
            return code;
        }
        return main.isAlive() ? null : main.exitValue();
    }

    @Override
    public int waitFor() throws InterruptedException {
        try {
            return finished.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public SandboxBackend.End end() {
        SandboxBackend.End end = endedHere;
        if (end != null) {
            return end;
        }
        return main.isAlive() ? null : SandboxBackend.End.EXITED;
    }

    @Override
    public Map<String, String> tags() {
        return tags;
    }

    @Override
    public void setTags(Map<String, String> tags) {
        this.tags = Map.copyOf(tags);
    }

    @Override
    public Map<Integer, Tunnel> tunnels() {
        requireRunning();
        Map<Integer, Tunnel> tunnels = new LinkedHashMap<>();
        for (int port : ports) {
            tunnels.put(port, new Tunnel("127.0.0.1", port));
        }
        return Map.copyOf(tunnels);
    }

    @Override
    public Tunnel tunnel(int port) {
        requireRunning();
        return new Tunnel("127.0.0.1", port);
    }

    /** Maps a checked absolute sandbox path to the file under the root. */
    private Path resolve(String path) {
        return path.equals("/") ? root : root.resolve(path.substring(1));
    }

    private void requireRunning() {
        if (endedHere != null) {
            throw new dev.skiff.NotFoundException("Sandbox " + sandboxId + " no longer exists; it was terminated or "
                    + "timed out.");
        }
    }

    @Override
    public byte[] readFile(String path) {
        requireRunning();
        Path file = resolve(path);
        if (Files.isDirectory(file)) {
            throw SandboxFiles.isFolder(sandboxId, path);
        }
        if (!Files.exists(file)) {
            throw SandboxFiles.missing(sandboxId, path);
        }
        if (!Files.isRegularFile(file)) {
            throw SandboxFiles.notRegular(sandboxId, path);
        }
        try {
            long size = Files.size(file);
            if (size > SandboxFiles.MAX_READ_BYTES) {
                throw SandboxFiles.tooLarge(sandboxId, path, size);
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw SandboxFiles.missing(sandboxId, path);
        } catch (IOException e) {
            throw new UncheckedIOException("Reading " + path + " in local sandbox " + sandboxId + " failed: "
                    + SandboxFiles.reason(e), e);
        }
    }

    @Override
    public void writeFile(String path, byte[] content) {
        requireRunning();
        Path file = resolve(path);
        if (Files.isDirectory(file)) {
            throw SandboxFiles.isFolder(sandboxId, path);
        }
        try {
            Files.createDirectories(file.getParent());
            // A whole new file renamed over the old one, so concurrent writers never mix their bytes.
            Path partial = Files.createTempFile(file.getParent(), ".skiff-write-", ".partial");
            try {
                Files.write(partial, content);
                Files.setPosixFilePermissions(partial, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
                Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Writing " + path + " in local sandbox " + sandboxId + " failed: "
                    + SandboxFiles.reason(e), e);
        }
    }

    @Override
    public List<String> listFiles(String path) {
        requireRunning();
        Path directory = resolve(path);
        if (!Files.exists(directory)) {
            throw SandboxFiles.missing(sandboxId, path);
        }
        if (!Files.isDirectory(directory)) {
            throw SandboxFiles.notFolder(sandboxId, path);
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(entry -> entry.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Listing " + path + " in local sandbox " + sandboxId + " failed" + ": "
                    + SandboxFiles.reason(e), e);
        }
    }

    @Override
    public void makeDirectory(String path, boolean parents) {
        requireRunning();
        Path directory = resolve(path);
        try {
            if (parents) {
                Files.createDirectories(directory);
            } else {
                Files.createDirectory(directory);
            }
        } catch (FileAlreadyExistsException e) {
            throw Files.isDirectory(directory) ? SandboxFiles.exists(sandboxId, path)
                    : SandboxFiles.notFolder(sandboxId, path);
        } catch (NoSuchFileException e) {
            throw SandboxFiles.missingParent(sandboxId, path);
        } catch (IOException e) {
            throw new UncheckedIOException("Creating " + path + " in local sandbox " + sandboxId + " failed" + ": "
                    + SandboxFiles.reason(e), e);
        }
    }

    @Override
    public void remove(String path, boolean recursive) {
        requireRunning();
        Path target = resolve(path);
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw SandboxFiles.missing(sandboxId, path);
        }
        try {
            if (recursive) {
                LocalSandboxes.deleteTree(target);
            } else {
                Files.delete(target);
            }
        } catch (DirectoryNotEmptyException e) {
            throw SandboxFiles.notEmpty(sandboxId, path);
        } catch (IOException e) {
            throw new UncheckedIOException("Removing " + path + " in local sandbox " + sandboxId + " failed" + ": "
                    + SandboxFiles.reason(e), e);
        }
    }

    @Override
    public String snapshot(String snapshotName) {
        requireRunning();
        return backend.storeSnapshot(sandboxId, root, snapshotName);
    }

    @Override
    public String toString() {
        return sandboxId + " (local, " + root + ")";
    }
}
