package dev.skiff.kernel.groovy;

import dev.skiff.dsl.repl.GroovyCells;
import dev.skiff.kernel.jshell.CellResult;
import groovy.transform.ThreadInterrupt;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.customizers.ASTTransformationCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code %%groovy} cells with {@link GroovyCells}: one Groovy session for the whole kernel,
 * on the default engine that Java cells use too, started by the first Groovy cell. Each cell runs
 * on a new thread named {@code skiff-groovy-cell-N}, so that {@link #interrupt()} can stop it. Cells
 * compile with Groovy's {@link ThreadInterrupt} transformation, which checks the thread's interrupt
 * flag at the start of every loop, method and closure, so an interrupt ends tight loops on every Java
 * version. The thread inherits the cell's output sink, so worker output reaches the
 * cell. Cells run one at a time: every method but {@link #clearStop()}, {@link #interrupt()} and
 * {@link #isRunning()} is synchronized.
 */
public final class GroovyEvaluator {
    private static final Logger LOG = LoggerFactory.getLogger(GroovyEvaluator.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    /** How often a stopped cell that still runs is stopped again. */
    private static final long RESTOP_MILLIS = 200;

    /** Cell labels, such as {@code [3]}, by the file name that the cell's classes carry in stack frames. */
    private final Map<String, String> cellsBySource = new ConcurrentHashMap<>();
    /** Classpath entries added before the first Groovy cell started the session. */
    private final List<Path> pendingClasspath = new ArrayList<>();
    private GroovyCells cells;
    private volatile Thread running;
    /** Set by {@link #interrupt()} and cleared by {@link #clearStop()}. */
    private volatile boolean stopRequested;

    /** Forgets a stop requested before the current cell began. Call it before the cell's {@code execute_input}. */
    public void clearStop() {
        stopRequested = false;
    }

    /**
     * Runs the Groovy code of a cell, unless a stop was requested since {@link #clearStop()}.
     * {@code cellLabel}, such as {@code [3]}, names the cell in error messages, which count the first
     * line of {@code code} as line 1.
     */
    public synchronized CellResult run(String code, String cellLabel) {
        GroovyCells session = cells();
        Object[] value = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread thread = new Thread(() -> {
            try {
                value[0] = session.evaluate(code);
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "skiff-groovy-cell-" + THREADS.incrementAndGet());
        thread.setContextClassLoader(session.session().loader());
        running = thread;
        if (stopRequested) {
            running = null;
            return CellResult.interrupted();
        }
        try {
            thread.start();
            awaitEnd(thread);
        } finally {
            running = null;
        }
        String source = session.sourceName();
        if (source != null) {
            cellsBySource.putIfAbsent(source, cellLabel);
        }

        if (stopRequested) {
            return CellResult.interrupted();
        }
        if (failure[0] instanceof CompilationFailedException compile) {
            return GroovyErrors.compileError(cellLabel, code, GroovyCells.compileErrors(compile));
        }
        if (failure[0] != null) {
            return GroovyErrors.runtimeError(failure[0], cellsBySource);
        }
        if (value[0] == null) {
            return CellResult.ok();
        }
        return CellResult.value(value[0], GroovyCells.format(value[0]));
    }

    /**
     * Waits for the cell thread to end. After a stop request it stops the thread every
     * {@value #RESTOP_MILLIS} ms while it runs, with {@code Thread.stop} where the JVM still has it,
     * because the interrupt misses loops in compiled Java code that the cell calls, and cell code may
     * catch the {@code InterruptedException} or the {@code ThreadDeath}.
     */
    private void awaitEnd(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join(RESTOP_MILLIS);
            } catch (InterruptedException e) {
                // An interrupt of the waiting thread stops the cell too, so that no cell outlives its request.
                interrupted = true;
                stopRequested = true;
            }
            if (stopRequested && thread.isAlive()) {
                stop(thread);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Interrupts the running Groovy cell's thread, which ends sleeps, waits and the loops of cell
     * code, and {@link #awaitEnd} follows up with {@code Thread.stop} where the JVM has it. A cell
     * whose thread has not started yet, such as one waiting for the Groovy session to start, does not
     * start. It is safe to call from any thread. NOTE: on Java 20 and later, where {@code Thread.stop}
     * throws, a loop in compiled Java code that ignores interrupts keeps running.
     */
    public void interrupt() {
        stopRequested = true;
        Thread thread = running;
        if (thread != null) {
            LOG.info("Interrupting Groovy cell thread {}", thread.getName());
            thread.interrupt();
        }
    }

    /** Stops {@code thread} with {@code Thread.stop}, or interrupts it again where {@code Thread.stop} throws. */
    @SuppressWarnings({"deprecation", "removal"})
    private static void stop(Thread thread) {
        try {
            thread.stop();
        } catch (UnsupportedOperationException e) {
            thread.interrupt();
        }
    }

    /** Returns whether a Groovy cell is running now. */
    public boolean isRunning() {
        return running != null;
    }

    /** Adds a jar or class folder to what later Groovy cells compile against and what their functions' workers load. */
    public synchronized void addToClasspath(String entry) {
        Path path = Path.of(entry).toAbsolutePath().normalize();
        if (cells == null) {
            pendingClasspath.add(path);
        } else {
            cells.addToClasspath(path);
        }
    }

    private GroovyCells cells() {
        if (cells == null) {
            long started = System.nanoTime();
            GroovyExits.install();
            cells = new GroovyCells();
            cells.session().loader().getConfiguration()
                    .addCompilationCustomizers(new ASTTransformationCustomizer(ThreadInterrupt.class));
            pendingClasspath.forEach(cells::addToClasspath);
            pendingClasspath.clear();
            LOG.info("Groovy session started in {} ms", (System.nanoTime() - started) / 1_000_000);
        }
        return cells;
    }
}
