package dev.skiff;

/** A worker process that exited while running an input: killed, out of memory, or {@code System.exit}. */
public class WorkerDiedException extends SkiffException {
    private final int exitStatus;

    public WorkerDiedException(String message, int exitStatus) {
        super(message);
        this.exitStatus = exitStatus;
    }

    /** Returns the worker's exit status: 128 plus the signal number for a process killed by a signal. */
    public int exitStatus() {
        return exitStatus;
    }
}
