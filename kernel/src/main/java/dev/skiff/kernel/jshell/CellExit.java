package dev.skiff.kernel.jshell;

/**
 * Thrown in place of ending the JVM when cell code calls {@code System.exit}: the kernel rewrites
 * those calls in snippet classes to {@link #exit(int)}, so the cell stops and the kernel keeps
 * running. An {@link Error}, so that {@code catch (Exception e)} in the cell does not swallow it.
 */
public final class CellExit extends Error {
    private final int status;

    private CellExit(int status) {
        super("System.exit(" + status + ") was called; the cell stopped and the kernel keeps running."
                + " Restart the kernel to start over.");
        this.status = status;
    }

    /** Replaces {@code System.exit(status)} in cell code; always throws. */
    public static void exit(int status) {
        throw new CellExit(status);
    }

    public int status() {
        return status;
    }
}
