package dev.skiff.dsl.cli;

import dev.skiff.RemoteException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.codehaus.groovy.runtime.InvokerInvocationException;

/**
 * Prints a failure of user code: the exception type and message, then only the stack frames of
 * the user's script classes, then how many frames of Groovy, Java and Skiff were left out. The
 * header marks an exception raised in a worker. {@code full} prints every frame instead.
 */
public final class ErrorReport {
    private static final String WORKER_PACKAGE = "dev.skiff.worker.";

    private final Set<String> userClasses;
    private final boolean full;
    private final String fullHint;

    /**
     * @param userClasses binary names of the classes compiled from the user's code
     * @param fullHint how to get every frame, such as "run with --stacktrace", or null for no hint
     */
    public ErrorReport(Set<String> userClasses, boolean full, String fullHint) {
        this.userClasses = userClasses;
        this.full = full;
        this.fullHint = fullHint;
    }

    /** Prints {@code error}, starting with {@code "Error: "}. */
    public void print(Throwable error, PrintStream out) {
        Throwable top = unwrap(error);
        if (full) {
            out.print("Error: ");
            top.printStackTrace(out);
            out.flush();
            return;
        }
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        String prefix = "Error: ";
        for (Throwable current = top; current != null && seen.add(current); current = current.getCause()) {
            printOne(current, prefix, out);
            prefix = "Caused by: ";
        }
        out.flush();
    }

    private void printOne(Throwable error, String prefix, PrintStream out) {
        List<String> frames = new ArrayList<>();
        int total;
        boolean remote;
        String header;
        if (error instanceof RemoteException remoteError) {
            remote = true;
            header = remoteError.remoteType() + (remoteError.remoteMessage() == null ? ""
                    : ": " + remoteError.remoteMessage());
            List<String> lines = remoteError.remoteStackTrace() == null ? List.of()
                    : remoteError.remoteStackTrace().lines().filter(line -> line.trim().startsWith("at ")).toList();
            total = lines.size();
            for (String line : lines) {
                String frame = line.trim().substring(3);
                if (isUserFrame(className(frame))) {
                    frames.add(frame);
                }
            }
        } else {
            StackTraceElement[] trace = error.getStackTrace();
            total = trace.length;
            remote = false;
            for (StackTraceElement element : trace) {
                remote |= element.getClassName().startsWith(WORKER_PACKAGE);
                if (isUserFrame(element.getClassName())) {
                    frames.add(element.getClassName() + "." + element.getMethodName() + "("
                            + element.getFileName() + ":" + element.getLineNumber() + ")");
                }
            }
            header = error.toString();
        }
        out.println(prefix + header + (remote ? " (raised in a worker)" : ""));
        for (String frame : frames) {
            out.println("\tat " + frame);
        }
        int hidden = total - frames.size();
        if (hidden > 0) {
            out.println("\t... " + hidden + (hidden == 1 ? " frame" : " frames") + " of Groovy, Java and Skiff hidden"
                    + (fullHint == null ? "" : "; " + fullHint + " to see them"));
        }
    }

    private boolean isUserFrame(String className) {
        return userClasses.contains(className);
    }

    /** Returns the class name of a printed frame such as {@code loader//pkg.Class.method(File.groovy:3)}. */
    private static String className(String frame) {
        String text = frame;
        int paren = text.indexOf('(');
        if (paren >= 0) {
            text = text.substring(0, paren);
        }
        int slashes = text.lastIndexOf("//");
        if (slashes >= 0) {
            text = text.substring(slashes + 2);
        } else if (text.indexOf('/') >= 0) {
            text = text.substring(text.lastIndexOf('/') + 1);
        }
        int dot = text.lastIndexOf('.');
        return dot < 0 ? text : text.substring(0, dot);
    }

    /** Returns the exception that user code threw, without Groovy's reflective wrappers. */
    static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while (current instanceof InvokerInvocationException && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
