package dev.skiff;

import dev.skiff.engine.Backends;
import dev.skiff.engine.Ids;
import dev.skiff.engine.Scheduler;
import java.time.Duration;
import java.util.List;

/**
 * The embedded engine: runs inputs in worker JVM subprocesses of this process. Apps use the
 * process-wide {@linkplain #getDefault() default engine} unless given another. Closing an engine
 * stops every worker it started, running {@link Exit} hooks within a grace period and killing what
 * remains; a JVM shutdown hook does the same for engines left open. Thread-safe.
 */
public final class Engine implements AutoCloseable {
    private static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
    private static Engine defaultEngine;

    private final Scheduler scheduler;
    private final Thread shutdownHook;

    private Engine() {
        String id = Ids.newId("en");
        scheduler = new Scheduler(id, new Backends(id));
        shutdownHook = new Thread(() -> scheduler.close(Duration.ofSeconds(3)), "skiff-engine-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts a new embedded engine with the local backend. */
    public static Engine embedded() {
        return new Engine();
    }

    /** Returns the process-wide engine, starting it on first use, or again after it was closed. */
    public static synchronized Engine getDefault() {
        if (defaultEngine == null || defaultEngine.isClosed()) {
            defaultEngine = new Engine();
        }
        return defaultEngine;
    }

    public String id() {
        return scheduler.engineId();
    }

    /** Returns the process ids of this engine's live workers. */
    public List<Long> workerPids() {
        return scheduler.workerPids();
    }

    /**
     * Starts one worker ahead of need, for code on {@code classpath}: the first function or class with
     * that classpath and no cpu, memory, GPU, environment or secret settings takes it instead of
     * starting its own, which saves the worker's start time on the first call. While it waits, the
     * worker loads and initializes the {@code preload} classes. A spare that no function takes stops after 30 s.
     */
    public void startSpareWorker(List<String> classpath, List<String> preload) {
        scheduler().startSpare(classpath, preload);
    }

    /** Stops every worker, waiting up to 10 s for exit hooks. Idempotent. */
    @Override
    public void close() {
        close(DEFAULT_GRACE);
    }

    /** Stops every worker, waiting up to {@code grace} for exit hooks, then kills the rest. Idempotent. */
    public void close(Duration grace) {
        java.util.Objects.requireNonNull(grace, "grace");
        closed = true;
        scheduler.close(grace);
        FunctionCall.forgetEngine(this);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down and the hook is running or has run.
        }
    }

    private volatile boolean closed;

    public boolean isClosed() {
        return closed;
    }

    Scheduler scheduler() {
        if (closed) {
            throw new SkiffException("The engine " + id() + " is closed; use Engine.getDefault() or start a new one.");
        }
        return scheduler;
    }
}
