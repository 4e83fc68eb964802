package dev.skiff;

import dev.skiff.engine.SandboxBackend;
import dev.skiff.engine.SandboxBackends;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A long-lived container that the caller drives: run commands in it with {@link #exec}, read their
 * output, read and write its files, reach its ports through {@link #tunnel}, capture its filesystem
 * with {@link SandboxSnapshot}, and stop it with {@link #terminate()}. Sandboxes run on the Docker
 * daemon that {@code DOCKER_HOST} names when the {@code dev.skiff:skiff-docker} jar is on the
 * classpath, or as process groups of this machine on the local backend (see
 * {@link SandboxOptions#backend}).
 *
 * <pre>{@code
 * Sandbox sandbox = Sandbox.create();
 * ContainerProcess process = sandbox.exec("echo", "hi");
 * String out = process.stdout().text();   // "hi\n"
 * int code = process.waitFor();           // 0
 * sandbox.terminate();
 * }</pre>
 *
 * <p>Exit codes: null while the sandbox runs, its main process's exit status when that ends, 124
 * when it ran past its timeout or idle timeout, and 137 once it was terminated.
 *
 * <p>Sandboxes created by this JVM are removed when the JVM exits normally; one that ended by itself
 * stays on the daemon until then, or until {@link #terminate()}, so that its exit code can be read.
 * Thread-safe.
 */
public final class Sandbox {
    private final SandboxBackend.Instance instance;

    private Sandbox(SandboxBackend.Instance instance) {
        this.instance = instance;
    }

    /** Creates and starts a sandbox; it is running when this returns. */
    public static Sandbox create(SandboxOptions options) {
        Objects.requireNonNull(options, "options");
        return new Sandbox(SandboxBackends.forOptions(options).create(options));
    }

    /** Creates and starts a sandbox running {@code command} with the default options; none: it sleeps. */
    public static Sandbox create(String... command) {
        return create(SandboxOptions.defaults().command(command));
    }

    /**
     * Returns the sandbox with the id {@code sandboxId}, which this JVM or another on the same daemon
     * created; a local sandbox only in the JVM that created it.
     *
     * @throws NotFoundException when no sandbox has that id, for example because it was terminated
     */
    public static Sandbox fromId(String sandboxId) {
        Objects.requireNonNull(sandboxId, "sandboxId");
        if (!sandboxId.matches("sb-[0-9a-f]{24}")) {
            throw new InvalidException("Invalid sandbox id '" + sandboxId + "': ids look like sb- and 24 hex digits, "
                    + "as objectId() returns them.");
        }
        return new Sandbox(SandboxBackends.find(sandboxId));
    }

    /**
     * Returns the sandbox named {@code name} (see {@link SandboxOptions#name}) in the app {@code app}.
     *
     * @throws NotFoundException when the app has no sandbox of that name
     */
    public static Sandbox fromName(String app, String name) {
        SandboxOptions.defaults().app(app).name(name);
        return new Sandbox(SandboxBackends.findByName(app, name));
    }

    /** Returns the sandboxes whose tags contain every entry of {@code tags}; an empty map returns all of them. */
    public static List<Sandbox> list(Map<String, String> tags) {
        return SandboxBackends.list(SandboxOptions.checkTags(tags)).stream().map(Sandbox::new).toList();
    }

    /** Starts {@code command} in the sandbox and returns at once. */
    public ContainerProcess exec(String... command) {
        return exec(ExecOptions.defaults(), command);
    }

    /** Starts {@code command} in the sandbox with {@code options} and returns at once. */
    public ContainerProcess exec(ExecOptions options, String... command) {
        Objects.requireNonNull(options, "options");
        if (command.length == 0) {
            throw new InvalidException("Invalid command []: exec needs a program to run, such as exec(\"ls\", \"/\").");
        }
        for (String word : command) {
            if (word == null) {
                throw new InvalidException("Invalid command " + Arrays.toString(command)
                        + ": it contains null; pass only non-null words.");
            }
        }
        return instance.exec(options, List.of(command));
    }

    /** Kills every process of the sandbox and removes its container; its exit code becomes 137. */
    public void terminate() {
        instance.terminate();
    }

    /** Waits for the sandbox to end and returns its exit code. */
    public int waitFor() throws InterruptedException {
        return instance.waitFor();
    }

    /**
     * Waits for the sandbox to end and returns its exit code. With {@code raiseOnTermination}, a
     * sandbox that was terminated throws {@link SandboxTerminatedException} and one that ran past its
     * timeout or idle timeout throws {@link SandboxTimeoutException}, instead of returning 137 or 124.
     */
    public int waitFor(boolean raiseOnTermination) throws InterruptedException {
        int code = instance.waitFor();
        if (raiseOnTermination) {
            SandboxBackend.End end = instance.end();
            if (end == SandboxBackend.End.TERMINATED) {
                throw new SandboxTerminatedException("Sandbox " + instance.id() + " was terminated (exit code "
                        + code + ").");
            }
            if (end == SandboxBackend.End.TIMED_OUT) {
                throw new SandboxTimeoutException("Sandbox " + instance.id() + " ran past its timeout (exit code "
                        + code + ").");
            }
        }
        return code;
    }

    /** Returns the exit code, or null while the sandbox runs. */
    public Integer poll() {
        return instance.poll();
    }

    /** Returns the sandbox's id, which {@link #fromId} accepts in any JVM. */
    public String objectId() {
        return instance.id();
    }

    /** Replaces the sandbox's tags. */
    public void setTags(Map<String, String> tags) {
        instance.setTags(SandboxOptions.checkTags(tags));
    }

    /**
     * Returns the tunnel of each port of {@link SandboxOptions#ports}, keyed by the port in the sandbox:
     * an address on the daemon's machine, 127.0.0.1 for a local daemon.
     */
    public Map<Integer, Tunnel> tunnels() {
        return instance.tunnels();
    }

    /**
     * Returns the tunnel to {@code port} in the sandbox, such as {@code http://127.0.0.1:32768} from
     * {@link Tunnel#url()}. On Docker the port must be one of {@link SandboxOptions#ports}, which the
     * daemon publishes on a free port of its machine; on the local backend the tunnel is the port itself.
     *
     * @throws InvalidException when the sandbox does not publish {@code port}
     */
    public Tunnel tunnel(int port) {
        if (port < 1 || port > 65535) {
            throw new InvalidException("Invalid port: " + port + ". It must be between 1 and 65535.");
        }
        return instance.tunnel(port);
    }

    /**
     * Returns the content of the file at the absolute path {@code path}.
     *
     * @throws NotFoundException when there is no such file
     * @throws InvalidException when {@code path} is relative or names a folder
     */
    public byte[] readBytes(String path) {
        return instance.readFile(checkPath("readBytes", path));
    }

    /** Returns the content of the file at the absolute path {@code path}, decoded as UTF-8. */
    public String readText(String path) {
        return new String(instance.readFile(checkPath("readText", path)), StandardCharsets.UTF_8);
    }

    /** Writes {@code content} to the file at the absolute path {@code path}, creating missing parent folders. */
    public void writeBytes(String path, byte[] content) {
        Objects.requireNonNull(content, "content");
        instance.writeFile(checkFilePath("writeBytes", path), content);
    }

    /** Writes {@code text} encoded as UTF-8 to the file at the absolute path {@code path}, creating missing parent folders. */
    public void writeText(String path, String text) {
        Objects.requireNonNull(text, "text");
        instance.writeFile(checkFilePath("writeText", path), text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Returns the names of the entries of the folder at the absolute path {@code path}, sorted.
     *
     * @throws NotFoundException when there is no such folder
     */
    public List<String> ls(String path) {
        return instance.listFiles(checkPath("ls", path));
    }

    /** Creates the folder at the absolute path {@code path}; its parent must exist. */
    public void mkdir(String path) {
        mkdir(path, false);
    }

    /** Creates the folder at the absolute path {@code path}; with {@code parents}, also its missing parents, and an existing folder is no error. */
    public void mkdir(String path, boolean parents) {
        instance.makeDirectory(checkFilePath("mkdir", path), parents);
    }

    /** Removes the file or empty folder at the absolute path {@code path}. */
    public void rm(String path) {
        rm(path, false);
    }

    /** Removes the file or folder at the absolute path {@code path}; a folder with entries needs {@code recursive}. */
    public void rm(String path, boolean recursive) {
        instance.remove(checkFilePath("rm", path), recursive);
    }

    SandboxBackend.Instance instance() {
        return instance;
    }

    /** Checks that {@code path} is absolute and returns it normalized: no {@code .}, {@code ..} or repeated {@code /}. */
    private static String checkPath(String operation, String path) {
        if (path == null || !path.startsWith("/") || path.indexOf('\0') >= 0) {
            throw new InvalidException("Invalid path '" + path + "' for " + operation + ": give an absolute path in "
                    + "the sandbox, such as /tmp/data.txt.");
        }
        return SandboxOptions.normalize(path);
    }

    /** Checks a path that names something to create or remove, which the root folder cannot be. */
    private static String checkFilePath(String operation, String path) {
        String normalized = checkPath(operation, path);
        if (normalized.equals("/")) {
            throw new InvalidException("Invalid path '" + path + "' for " + operation + ": it names the root folder; "
                    + "give a path below it, such as /tmp/data.");
        }
        return normalized;
    }

    /** Returns the sandbox's current tags. */
    public Map<String, String> tags() {
        return instance.tags();
    }

    @Override
    public String toString() {
        return "Sandbox[" + instance.id() + "]";
    }
}
