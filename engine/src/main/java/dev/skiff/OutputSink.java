package dev.skiff;

import java.io.PrintStream;

/**
 * Receives what user code prints in workers. The sink in effect on the thread that submits an
 * input receives that input's output, so a notebook can route each cell's output to the cell.
 * Implementations must be thread-safe: the engine calls them from its own thread.
 */
@FunctionalInterface
public interface OutputSink {
    /**
     * Receives one chunk of output, usually one or more whole lines.
     *
     * @param function the function or class method name
     * @param input the call id ({@code fc-…}) or input id ({@code in-…}), or a worker id for output
     *     written outside any input
     * @param stderr true for standard error, false for standard output
     */
    void write(String function, String input, boolean stderr, String text);

    /**
     * Receives the progress of a {@code map}, {@code starmap} or {@code forEach} started from a thread
     * whose sink this is: once with {@code done} 0 when every input was submitted, then each time an
     * input ends, from any thread. {@code failed} counts the inputs among {@code done} that ended
     * with an error or a cancellation. A map that returns normally reports its final counts once
     * more before it returns. Does nothing by default.
     */
    default void mapProgress(String function, int done, int failed, int total) {
    }

    /** Returns a sink that prints each line to this JVM's {@code System.out} or {@code System.err}, prefixed with its tag. */
    static OutputSink console() {
        return (function, input, stderr, text) -> {
            PrintStream stream = stderr ? System.err : System.out;
            String prefix = "[" + function + " " + input + "] ";
            StringBuilder out = new StringBuilder(text.length() + prefix.length() * 2);
            int start = 0;
            while (start < text.length()) {
                int newline = text.indexOf('\n', start);
                int end = newline < 0 ? text.length() : newline + 1;
                out.append(prefix).append(text, start, end);
                start = end;
            }
            if (!text.endsWith("\n")) {
                out.append('\n');
            }
            stream.print(out);
            stream.flush();
        };
    }

    /** Returns the sink for inputs submitted from the current thread. */
    static OutputSink current() {
        OutputSink sink = OutputSinks.CURRENT.get();
        return sink != null ? sink : OutputSinks.defaultSink;
    }

    /** Sets the sink for inputs submitted from the current thread; null restores the default. */
    static void setCurrent(OutputSink sink) {
        OutputSinks.CURRENT.set(sink);
    }

    /** Sets the sink used by threads that have none of their own; null restores the console sink. */
    static void setDefault(OutputSink sink) {
        OutputSinks.defaultSink = sink == null ? console() : sink;
    }
}

/** Holder of the sinks, kept out of the public interface. */
final class OutputSinks {
    static final InheritableThreadLocal<OutputSink> CURRENT = new InheritableThreadLocal<>();
    static volatile OutputSink defaultSink = OutputSink.console();

    private OutputSinks() {
    }
}
