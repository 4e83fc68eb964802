package dev.skiff.dsl;

import dev.skiff.Engine;
import dev.skiff.code.CodeBundle;
import groovy.lang.Closure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The state that one script run or one shell shares: the class loader that compiles and records its
 * classes, the engine its apps call, the apps it created and its local entrypoint. Thread-safe.
 */
public final class ScriptSession implements AutoCloseable {
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(10);
    private static ScriptSession standalone;

    private final SkiffClassLoader loader;
    private final boolean ownsEngine;
    private final boolean interactive;
    private final Map<String, SkiffApp> apps = new LinkedHashMap<>();
    private Engine engine;
    private Closure<?> entrypoint;
    private List<String> baseClasspath;

    private ScriptSession(SkiffClassLoader loader, boolean ownsEngine, boolean interactive) {
        this.loader = loader;
        this.ownsEngine = ownsEngine;
        this.interactive = interactive;
    }

    /** Returns a session for running a script file; it starts its own engine on first use. */
    public static ScriptSession forScript() {
        return new ScriptSession(new SkiffClassLoader(ScriptSession.class.getClassLoader()), true, false);
    }

    /** Returns a session for the shell, where {@code localEntrypoint} runs its closure at once. */
    public static ScriptSession forShell() {
        return new ScriptSession(new SkiffClassLoader(ScriptSession.class.getClassLoader()), true, true);
    }

    /**
     * Returns a session for notebook cells: interactive as the shell's, but on the process-wide
     * default engine, so that Groovy cells share workers and shutdown with the notebook's Java cells.
     */
    public static ScriptSession forNotebook() {
        return new ScriptSession(new SkiffClassLoader(ScriptSession.class.getClassLoader()), false, true);
    }

    /**
     * Returns the session of scripts that another tool compiled, such as the {@code groovy}
     * command, on the default engine. Their classes reach workers only when that tool's compiler
     * configuration records them with {@link ClassCapture}.
     */
    public static synchronized ScriptSession standalone() {
        if (standalone == null) {
            standalone = new ScriptSession(new SkiffClassLoader(ScriptSession.class.getClassLoader()), false, false);
        }
        return standalone;
    }

    public SkiffClassLoader loader() {
        return loader;
    }

    /**
     * Returns the engine: one this session starts on first use, or the default engine for the
     * standalone and notebook sessions.
     */
    public synchronized Engine engine() {
        if (!ownsEngine) {
            return Engine.getDefault();
        }
        if (engine == null || engine.isClosed()) {
            engine = Engine.embedded();
        }
        return engine;
    }

    /** Returns the engine if one was started, for shutdown. */
    public synchronized Optional<Engine> startedEngine() {
        return Optional.ofNullable(engine);
    }

    /** Returns the code workers need now: this JVM's classpath, grabbed jars and every recorded class. */
    public synchronized CodeBundle bundle() {
        if (baseClasspath == null) {
            baseClasspath = CodeBundle.ofCurrentClasspath().classpath();
        }
        List<String> classpath = new ArrayList<>(baseClasspath);
        for (String entry : loader.addedClasspath()) {
            if (!classpath.contains(entry)) {
                classpath.add(entry);
            }
        }
        return CodeBundle.of(classpath, loader.recordedClasses());
    }

    /** Returns the app of this name, creating it on first use. */
    public synchronized SkiffApp app(String name) {
        return apps.computeIfAbsent(name, n -> new SkiffApp(n, this));
    }

    public synchronized List<SkiffApp> apps() {
        return List.copyOf(apps.values());
    }

    /** Records the local entrypoint; in the shell it runs at once instead. */
    void entrypoint(Closure<?> body) {
        if (interactive) {
            body.call();
            return;
        }
        synchronized (this) {
            if (entrypoint != null) {
                throw new IllegalStateException("The script declares localEntrypoint twice; keep one.");
            }
            entrypoint = body;
        }
    }

    public synchronized Optional<Closure<?>> entrypoint() {
        return Optional.ofNullable(entrypoint);
    }

    /** Stops the workers of an engine this session started, waiting up to 10 s for their exit hooks. */
    @Override
    public void close() {
        Engine started;
        synchronized (this) {
            started = ownsEngine ? engine : null;
        }
        if (started != null) {
            started.close(CLOSE_GRACE);
        }
    }
}
