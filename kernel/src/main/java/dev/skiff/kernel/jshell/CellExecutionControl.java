package dev.skiff.kernel.jshell;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jshell.execution.LocalExecutionControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs snippets in this JVM, each on a new thread named {@code skiff-cell-N}, and keeps the last
 * value and exception as objects for rich display and tracebacks. Unlike JShell's own local
 * control it does not wait for other threads that a snippet started, so a cell that starts a
 * thread pool still finishes.
 *
 * <p>{@link #stop()} stops the running snippet with {@code Thread.stop}, which ends tight loops
 * and sleeps alike. NOTE: from Java 20 on, {@code Thread.stop} throws, and this falls back to
 * {@code Thread.interrupt}, which does not end a loop that ignores interrupts.
 */
final class CellExecutionControl extends LocalExecutionControl {
    private static final Logger LOG = LoggerFactory.getLogger(CellExecutionControl.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final ClassLoader loader;
    private volatile Thread running;
    private volatile boolean stopRequested;
    /** Set by a stop that arrives while JShell compiles, so that the snippet stops as soon as it starts. */
    private volatile boolean stopPending;
    private volatile Object lastValue;
    private volatile Throwable lastFailure;

    CellExecutionControl(SnippetLoaderDelegate delegate) {
        super(delegate);
        this.loader = delegate.loader();
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        lastValue = null;
        lastFailure = null;
        Object[] value = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread thread = new Thread(() -> {
            try {
                value[0] = doitMethod.invoke(null);
            } catch (InvocationTargetException e) {
                failure[0] = e.getCause();
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "skiff-cell-" + THREADS.incrementAndGet());
        thread.setContextClassLoader(loader);
        thread.setUncaughtExceptionHandler((t, e) -> LOG.debug("Cell thread {} ended with {}", t.getName(), e.toString()));
        stopRequested = false;
        running = thread;
        if (stopPending) {
            stopPending = false;
            running = null;
            throw new StoppedException();
        }
        try {
            thread.start();
            thread.join();
        } finally {
            running = null;
        }
        if (stopRequested) {
            throw new StoppedException();
        }
        if (failure[0] != null) {
            lastFailure = failure[0];
            throw new InvocationTargetException(failure[0]);
        }
        lastValue = value[0];
        return valueString(value[0]);
    }

    @Override
    @SuppressWarnings({"deprecation", "removal"})
    public void stop() {
        stopPending = true;
        Thread thread = running;
        if (thread == null) {
            return;
        }
        stopRequested = true;
        try {
            thread.stop();
        } catch (UnsupportedOperationException e) {
            thread.interrupt();
        }
    }

    /** Forgets a stop requested before the current cell began. */
    void clearStop() {
        stopPending = false;
    }

    /** Returns the value of the last snippet that completed normally, or null. */
    Object lastValue() {
        return lastValue;
    }

    /** Returns the exception thrown by the last snippet, or null. */
    Throwable lastFailure() {
        return lastFailure;
    }

    /** Returns whether a snippet is running now. */
    boolean isRunning() {
        return running != null;
    }
}
