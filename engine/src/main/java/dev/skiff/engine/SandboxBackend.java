package dev.skiff.engine;

import dev.skiff.ContainerProcess;
import dev.skiff.ExecOptions;
import dev.skiff.SandboxOptions;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * Runs {@link dev.skiff.Sandbox}es: long-lived containers that the caller drives with commands.
 * One instance serves the whole JVM. Implementations are thread-safe.
 */
public interface SandboxBackend {
    /** Creates and starts a sandbox; the options were validated when they were set. */
    Instance create(SandboxOptions options);

    /**
     * Returns the sandbox with the id {@code sandboxId}, created by this JVM or another.
     *
     * @throws dev.skiff.NotFoundException when no such sandbox exists
     */
    Instance find(String sandboxId);

    /**
     * Returns the sandbox named {@code name} in the app {@code app}.
     *
     * @throws dev.skiff.NotFoundException when no such sandbox exists
     */
    Instance findByName(String app, String name);

    /** Returns the sandboxes, running or ended but not yet removed, whose tags contain every entry of {@code tags}. */
    List<Instance> list(Map<String, String> tags);

    /** One sandbox. */
    interface Instance {
        String id();

        ContainerProcess exec(ExecOptions options, List<String> command);

        /** Kills the sandbox's processes and removes its container. */
        void terminate();

        /** Returns the exit code, or null while the sandbox runs. */
        Integer poll();

        /** Waits for the sandbox to end and returns its exit code. */
        int waitFor() throws InterruptedException;

        Map<String, String> tags();

        /** Replaces the sandbox's tags. */
        void setTags(Map<String, String> tags);

        /** Returns the address on the daemon's machine of each published port, by the port in the sandbox. */
        Map<Integer, InetSocketAddress> tunnels();
    }
}
