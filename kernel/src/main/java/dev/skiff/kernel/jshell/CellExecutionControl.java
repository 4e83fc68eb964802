package dev.skiff.kernel.jshell;

import java.lang.reflect.Field;
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
 * and sleeps alike. From Java 20 on, {@code Thread.stop} throws; there this sets the stop flag that
 * JShell's instrumentation of snippet classes checks in loops (Java 22 and later), and interrupts.
 */
final class CellExecutionControl extends LocalExecutionControl {
    private static final Logger LOG = LoggerFactory.getLogger(CellExecutionControl.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final String CANCEL_CLASS = "REPL.$Cancel$";

    private final ClassLoader loader;
    private volatile Thread running;
    private volatile boolean stopRequested;
    /** Set by a stop that arrives while JShell compiles, so that the snippet stops as soon as it starts. */
    private volatile boolean stopPending;
    private volatile Object lastValue;
    private volatile Throwable lastFailure;
    /** True once JShell's own invoke has run, which on Java 22 and later defines its cancel class. */
    private boolean cancelClassLoaded;
    /**
     * From Java 22 on, JShell instruments snippet classes to check this flag of its generated class
     * {@code REPL.$Cancel$} in loops, and its stop sets the flag; null on older Java.
     */
    private volatile Field allStop;

    CellExecutionControl(SnippetLoaderDelegate delegate) {
        super(delegate);
        this.loader = delegate.loader();
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        prepareCancelClass();
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

    /**
     * On Java 22 and later, lets JShell's own invoke define its cancel class once, by running an
     * empty method: snippet code instrumented there calls that class, and this class's invoke does
     * not define it. Then clears the stop flag, as JShell's invoke does before each snippet. Java 21
     * and earlier have no cancel class, so there this does nothing.
     */
    private void prepareCancelClass() throws Exception {
        if (Runtime.version().feature() < 22) {
            return;
        }
        if (!cancelClassLoaded) {
            cancelClassLoaded = true;
            // JShell's invoke calls the method reflectively from the jdk.jshell module, which cannot access a
            // package-private method otherwise. Its IllegalAccessException would skip the first snippet silently.
            Method empty = CellExecutionControl.class.getDeclaredMethod("noSnippet");
            empty.setAccessible(true);
            super.invoke(empty);
            try {
                Field flag = findClass(CANCEL_CLASS).getDeclaredField("allStop");
                flag.setAccessible(true);
                allStop = flag;
            } catch (ClassNotFoundException | NoSuchFieldException e) {
                LOG.debug("No JShell cancel class on Java {}; stops use Thread.stop", Runtime.version().feature());
            }
        }
        Field flag = allStop;
        if (flag != null) {
            flag.set(null, false);
        }
    }

    /** The empty method that {@link #prepareCancelClass()} runs. */
    static void noSnippet() {
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
            // Java 20 and later: instrumented snippet code throws at its next loop check once the flag
            // is set, and the interrupt ends sleeps and waits.
            Field flag = allStop;
            if (flag != null) {
                try {
                    flag.set(null, true);
                } catch (IllegalAccessException denied) {
                    LOG.debug("Cannot set JShell's stop flag: {}", denied.toString());
                }
            }
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
