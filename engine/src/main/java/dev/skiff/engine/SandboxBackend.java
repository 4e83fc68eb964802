package dev.skiff.engine;

import dev.skiff.ContainerProcess;
import dev.skiff.ExecOptions;
import dev.skiff.SandboxOptions;
import dev.skiff.Tunnel;
import java.util.List;
import java.util.Map;

/**
 * Runs {@link dev.skiff.Sandbox}es: long-lived containers, or process groups on the local backend,
 * that the caller drives with commands. One instance per backend serves the whole JVM.
 * Implementations are thread-safe.
 */
public interface SandboxBackend {
    /** Returns the backend's name, {@code docker} or {@code local}. */
    String name();

    /** Creates and starts a sandbox; the options were validated when they were set. */
    Instance create(SandboxOptions options);

    /**
     * Returns the sandbox with the id {@code sandboxId}.
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

    /** Returns the reference of the snapshot stored under {@code name}, or null when there is none. */
    String findSnapshot(String name);

    /** Stores the snapshot {@code reference} under {@code name} as well, replacing any snapshot of that name, and returns the new reference. */
    String nameSnapshot(String reference, String name);

    /** Removes the name {@code name} of a snapshot; the snapshot's data goes once no name or sandbox uses it. */
    void deleteSnapshot(String name);

    /** The way a sandbox ended. */
    enum End {
        /** Its main process ended by itself. */
        EXITED,
        /** It ran past its timeout or idle timeout. */
        TIMED_OUT,
        /** {@link Instance#terminate()} stopped it, in this JVM or another. */
        TERMINATED
    }

    /** One sandbox. Paths given to the file methods were checked to be absolute and normalized. */
    interface Instance {
        String id();

        /** Returns the name of the backend that runs this sandbox. */
        String backend();

        ContainerProcess exec(ExecOptions options, List<String> command);

        /** Kills the sandbox's processes and removes its container or folder. */
        void terminate();

        /** Returns the exit code, or null while the sandbox runs. */
        Integer poll();

        /** Waits for the sandbox to end and returns its exit code. */
        int waitFor() throws InterruptedException;

        /** Returns how the sandbox ended, or null while it runs. */
        End end();

        Map<String, String> tags();

        /** Replaces the sandbox's tags. */
        void setTags(Map<String, String> tags);

        /** Returns the tunnel of each port the sandbox publishes, by the port in the sandbox. */
        Map<Integer, Tunnel> tunnels();

        /**
         * Returns the tunnel to {@code port} in the sandbox.
         *
         * @throws dev.skiff.InvalidException when the backend cannot reach that port
         */
        Tunnel tunnel(int port);

        /** Returns the content of the regular file at {@code path}. */
        byte[] readFile(String path);

        /** Writes {@code content} to the file at {@code path}, creating missing parent folders and replacing the file. */
        void writeFile(String path, byte[] content);

        /** Returns the names of the entries of the folder at {@code path}, sorted. */
        List<String> listFiles(String path);

        /** Creates the folder {@code path}; with {@code parents}, also missing parents, and an existing folder is no error. */
        void makeDirectory(String path, boolean parents);

        /** Removes the file or empty folder at {@code path}; with {@code recursive}, a folder and all it contains. */
        void remove(String path, boolean recursive);

        /** Stores the sandbox's filesystem as a snapshot named {@code name} and returns the snapshot's reference. */
        String snapshot(String name);
    }
}
