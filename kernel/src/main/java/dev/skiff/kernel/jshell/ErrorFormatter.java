package dev.skiff.kernel.jshell;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.Diagnostic;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShellException;
import jdk.jshell.UnresolvedReferenceException;

/** Turns compile diagnostics and snippet exceptions into the error outputs that frontends show. */
final class ErrorFormatter {
    /** The position of a snippet: the cell's label, such as {@code [3]}, and the cell line of its first line. */
    record Location(String cell, int firstLine) {
    }

    private static final String INDENT = "    ";

    private static final java.util.regex.Pattern DANGLING_LOCATION = java.util.regex.Pattern.compile(
            "\\R\\s*location: class\\s*$");
    private final Map<String, Location> locations;

    ErrorFormatter(Map<String, Location> locations) {
        this.locations = locations;
    }

    /** Formats the errors of a rejected snippet that starts at {@code start} in {@code cellCode}. */
    CellResult compileError(String cellLabel, String cellCode, int start, String source, List<Diag> diagnostics) {
        List<String> lines = new ArrayList<>();
        String first = null;
        for (Diag diag : diagnostics) {
            if (!diag.isError()) {
                continue;
            }
            long position = diag.getStartPosition() == Diagnostic.NOPOS ? diag.getPosition() : diag.getStartPosition();
            int offset = start + (int) Math.max(0, Math.min(position, source.length()));
            offset = Math.min(offset, cellCode.length());
            int line = lineOf(cellCode, offset);
            int lineStart = cellCode.lastIndexOf('\n', offset - 1) + 1;
            int column = cellCode.codePointCount(lineStart, offset) + 1;
            // JShell leaves out the name of its wrapper class, which left "location: class" dangling.
            String message = DANGLING_LOCATION.matcher(diag.getMessage(Locale.ROOT)).replaceFirst("");
            String where = "line " + line + ", column " + column;
            if (first == null) {
                first = where + ": " + message;
            }
            lines.add("cell " + cellLabel + ", " + where + ": error: " + message);
            int lineEnd = cellCode.indexOf('\n', lineStart);
            String text = cellCode.substring(lineStart, lineEnd < 0 ? cellCode.length() : lineEnd);
            lines.add(INDENT + text);
            lines.add(INDENT + " ".repeat(column - 1) + "^");
        }
        if (first == null) {
            first = "the snippet was rejected";
            lines.add("cell " + cellLabel + ": " + first);
        }
        return CellResult.error("CompilationError", first, lines);
    }

    /** Formats an exception thrown by a snippet, user frames first, then the whole trace when it has more. */
    CellResult runtimeError(JShellException exception, String unresolvedDetail) {
        if (exception instanceof UnresolvedReferenceException) {
            List<String> lines = new ArrayList<>();
            lines.add("UnresolvedReference: " + unresolvedDetail);
            lines.addAll(userFrames(exception.getStackTrace()));
            return CellResult.error("UnresolvedReference", unresolvedDetail, lines);
        }
        String className = exception instanceof EvalException eval ? eval.getExceptionClassName()
                : exception.getClass().getName();
        String message = exception.getMessage() == null ? "" : exception.getMessage();
        String simpleName = className.substring(className.lastIndexOf('.') + 1);
        if (className.equals(CellExit.class.getName())) {
            return CellResult.error("SystemExit", message, List.of("SystemExit: " + message));
        }
        List<String> lines = new ArrayList<>();
        lines.add(className + (message.isEmpty() ? "" : ": " + message));
        List<String> user = userFrames(exception.getStackTrace());
        lines.addAll(user);
        List<String> full = fullTrace(exception);
        if (full.size() > user.size() + 1) {
            lines.add("Full stack trace:");
            lines.addAll(full);
        }
        return CellResult.error(simpleName, message, lines);
    }

    private List<String> userFrames(StackTraceElement[] frames) {
        List<String> lines = new ArrayList<>();
        for (StackTraceElement frame : frames) {
            String text = snippetFrame(frame);
            if (text != null) {
                lines.add(INDENT + "at " + text);
            }
        }
        return lines;
    }

    private List<String> fullTrace(Throwable exception) {
        List<String> lines = new ArrayList<>();
        Throwable current = exception;
        boolean first = true;
        while (current != null) {
            String className = current instanceof EvalException eval ? eval.getExceptionClassName()
                    : current.getClass().getName();
            String message = current.getMessage();
            lines.add((first ? "" : "Caused by: ") + className + (message == null ? "" : ": " + message));
            for (StackTraceElement frame : current.getStackTrace()) {
                if (isKernelFrame(frame)) {
                    continue;
                }
                String snippet = snippetFrame(frame);
                lines.add(INDENT + "at " + (snippet != null ? snippet : frame.toString()));
            }
            current = current.getCause() == current ? null : current.getCause();
            first = false;
        }
        return lines;
    }

    /** Returns a snippet frame as {@code f (cell [3], line 2)}, or null when the frame is not in a snippet. */
    private String snippetFrame(StackTraceElement frame) {
        String file = frame.getFileName();
        if (file == null || !file.startsWith("#")) {
            return null;
        }
        Location location = locations.get(file.substring(1));
        String where = location == null ? "snippet " + file
                : "cell " + location.cell() + ", line " + (location.firstLine() + Math.max(frame.getLineNumber(), 1) - 1);
        String method = frame.getMethodName();
        return method == null || method.isEmpty() || method.equals("do_it$") ? where : method + " (" + where + ")";
    }

    private static boolean isKernelFrame(StackTraceElement frame) {
        String className = frame.getClassName();
        return className.startsWith("jdk.internal.reflect.") || className.startsWith("java.lang.reflect.")
                || className.startsWith("dev.skiff.kernel.jshell.") || className.equals("java.lang.Thread");
    }

    static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
