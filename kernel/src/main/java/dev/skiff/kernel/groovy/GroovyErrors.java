package dev.skiff.kernel.groovy;

import dev.skiff.dsl.repl.GroovyCells;
import dev.skiff.kernel.jshell.CellExit;
import dev.skiff.kernel.jshell.CellResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.codehaus.groovy.runtime.InvokerInvocationException;

/**
 * Turns Groovy compile errors and exceptions into the error outputs of Java cells: the same
 * {@code ename} values, {@code evalue} forms and tracebacks, with the user's frames first as
 * {@code method (cell [3], line 2)}.
 */
final class GroovyErrors {
    private static final String INDENT = "    ";

    private GroovyErrors() {
    }

    /** Formats the compile errors of the Groovy {@code code} of cell {@code cellLabel}. */
    static CellResult compileError(String cellLabel, String code, List<GroovyCells.CompileError> errors) {
        String[] lines = code.split("\n", -1);
        List<String> traceback = new ArrayList<>();
        String first = null;
        for (GroovyCells.CompileError error : errors) {
            if (error.line() < 1 || error.line() > lines.length) {
                first = first == null ? error.message() : first;
                traceback.add("cell " + cellLabel + ": error: " + error.message());
                continue;
            }
            String where = "line " + error.line() + ", column " + error.column();
            first = first == null ? where + ": " + error.message() : first;
            traceback.add("cell " + cellLabel + ", " + where + ": error: " + error.message());
            traceback.add(INDENT + lines[error.line() - 1]);
            traceback.add(INDENT + " ".repeat(Math.max(0, error.column() - 1)) + "^");
        }
        return CellResult.error("CompilationError", first, traceback);
    }

    /**
     * Formats an exception thrown by a Groovy cell: its type and message, the frames of the cells'
     * code, then the whole trace without the kernel's own frames.
     *
     * @param cellsBySource cell labels by the file name that their classes carry in stack frames
     */
    static CellResult runtimeError(Throwable thrown, Map<String, String> cellsBySource) {
        Throwable exception = unwrap(thrown);
        String className = exception.getClass().getName();
        String message = exception.getMessage() == null ? "" : exception.getMessage();
        if (exception instanceof CellExit) {
            return CellResult.error("SystemExit", message, List.of("SystemExit: " + message));
        }
        List<String> traceback = new ArrayList<>();
        traceback.add(className + (message.isEmpty() ? "" : ": " + message));
        List<String> user = new ArrayList<>();
        for (StackTraceElement frame : exception.getStackTrace()) {
            String text = cellFrame(frame, cellsBySource);
            if (text != null) {
                user.add(INDENT + "at " + text);
            }
        }
        traceback.addAll(user);
        List<String> full = fullTrace(exception, cellsBySource);
        if (full.size() > user.size() + 1) {
            traceback.add("Full stack trace:");
            traceback.addAll(full);
        }
        return CellResult.error(exception.getClass().getSimpleName(), message, traceback);
    }

    private static List<String> fullTrace(Throwable exception, Map<String, String> cellsBySource) {
        List<String> lines = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        String prefix = "";
        for (Throwable current = exception; current != null && seen.add(current); current = current.getCause()) {
            lines.add(prefix + current.getClass().getName()
                    + (current.getMessage() == null ? "" : ": " + current.getMessage()));
            for (StackTraceElement frame : current.getStackTrace()) {
                if (isKernelFrame(frame)) {
                    continue;
                }
                String text = cellFrame(frame, cellsBySource);
                lines.add(INDENT + "at " + (text != null ? text : frame.toString()));
            }
            prefix = "Caused by: ";
        }
        return lines;
    }

    /**
     * Returns a frame of a cell's code as {@code cell [3], line 2} for the cell body,
     * {@code square (cell [3], line 2)} for a method, {@code closure (…)} for a closure and
     * {@code Point.norm (…)} for a class's method, or null when the frame is not in a cell's code.
     */
    private static String cellFrame(StackTraceElement frame, Map<String, String> cellsBySource) {
        String file = frame.getFileName();
        String cell = file == null ? null : cellsBySource.get(file);
        if (cell == null) {
            return null;
        }
        String where = "cell " + cell + (frame.getLineNumber() > 0 ? ", line " + frame.getLineNumber() : "");
        String className = frame.getClassName();
        String scriptClass = file.substring(0, file.length() - ".groovy".length());
        String method = frame.getMethodName();
        if (className.contains("$_") && method.equals("doCall")) {
            return "closure (" + where + ")";
        }
        if (className.equals(scriptClass)) {
            return method.equals("run") ? where : method + " (" + where + ")";
        }
        return className.substring(className.lastIndexOf('.') + 1) + "." + method + " (" + where + ")";
    }

    private static boolean isKernelFrame(StackTraceElement frame) {
        String className = frame.getClassName();
        return className.startsWith("dev.skiff.kernel.groovy.") || className.startsWith("dev.skiff.dsl.repl.")
                || className.equals("java.lang.Thread");
    }

    /** Returns the exception that the cell's code threw, without Groovy's reflective wrapper. */
    private static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while (current instanceof InvokerInvocationException && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
