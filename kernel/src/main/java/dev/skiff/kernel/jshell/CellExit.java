package dev.skiff.kernel.jshell;

import java.util.Objects;

/**
 * Thrown in place of ending the JVM when cell code calls {@code System.exit}, {@code Runtime.exit} or
 * {@code Runtime.halt}. The kernel rewrites those calls in snippet classes to the methods here, and
 * Groovy cells reach them through Groovy's metaclasses. So the cell stops and the kernel keeps
 * running. An {@link Error}, so that {@code catch (Exception e)}
 * in the cell does not swallow it.
 */
public final class CellExit extends Error {
    private final int status;

    private CellExit(String method, int status) {
        super(method + "(" + status + ") was called; the cell stopped and the kernel keeps running."
                + " Restart the kernel to start over.");
        this.status = status;
    }

    /** Replaces {@code System.exit(status)} in cell code; always throws. */
    public static void exit(int status) {
        throw new CellExit("System.exit", status);
    }

    /** Replaces {@code runtime.exit(status)} in cell code; always throws, a NullPointerException for a null runtime. */
    public static void runtimeExit(Runtime runtime, int status) {
        Objects.requireNonNull(runtime);
        throw new CellExit("Runtime.exit", status);
    }

    /** Replaces {@code runtime.halt(status)} in cell code; always throws, a NullPointerException for a null runtime. */
    public static void runtimeHalt(Runtime runtime, int status) {
        Objects.requireNonNull(runtime);
        throw new CellExit("Runtime.halt", status);
    }

    public int status() {
        return status;
    }
}
