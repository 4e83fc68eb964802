package dev.skiff;

import dev.skiff.engine.SandboxBackend;
import dev.skiff.engine.SandboxBackends;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A long-lived container that the caller drives: run commands in it with {@link #exec}, read their
 * output, and stop it with {@link #terminate()}. Sandboxes run on the Docker daemon that
 * {@code DOCKER_HOST} names, so the {@code dev.skiff:skiff-docker} jar must be on the classpath.
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
        return new Sandbox(SandboxBackends.get().create(options));
    }

    /** Creates and starts a sandbox running {@code command} with the default options; none: it sleeps. */
    public static Sandbox create(String... command) {
        return create(SandboxOptions.defaults().command(command));
    }

    /**
     * Returns the sandbox with the id {@code sandboxId}, which this JVM or another on the same daemon
     * created.
     *
     * @throws NotFoundException when no sandbox has that id, for example because it was terminated
     */
    public static Sandbox fromId(String sandboxId) {
        Objects.requireNonNull(sandboxId, "sandboxId");
        return new Sandbox(SandboxBackends.get().find(sandboxId));
    }

    /**
     * Returns the sandbox named {@code name} (see {@link SandboxOptions#name}) in the app {@code app}.
     *
     * @throws NotFoundException when the app has no sandbox of that name
     */
    public static Sandbox fromName(String app, String name) {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(name, "name");
        return new Sandbox(SandboxBackends.get().findByName(app, name));
    }

    /** Returns the sandboxes whose tags contain every entry of {@code tags}; an empty map returns all of them. */
    public static List<Sandbox> list(Map<String, String> tags) {
        Objects.requireNonNull(tags, "tags");
        return SandboxBackends.get().list(tags).stream().map(Sandbox::new).toList();
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
     * Returns where each port of {@link SandboxOptions#ports} is reached from outside, keyed by the port
     * in the sandbox: an address on the daemon's machine, 127.0.0.1 for a local daemon.
     */
    public Map<Integer, InetSocketAddress> tunnels() {
        return instance.tunnels();
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
