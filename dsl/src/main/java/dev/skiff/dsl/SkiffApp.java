package dev.skiff.dsl;

import dev.skiff.App;
import dev.skiff.Cls;
import dev.skiff.Function;
import dev.skiff.FunctionOptions;
import groovy.lang.Closure;
import groovy.lang.DelegatesTo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An app as scripts see it: {@code app.function(name, options) { closure }} and
 * {@code app.cls(Type, options)}, with options as Groovy named arguments (see {@link NamedOptions}).
 * Each registration goes to an engine {@link App} whose code bundle contains every class compiled so
 * far, so functions defined later in the shell still reach workers. Thread-safe.
 */
public final class SkiffApp {
    private final String name;
    private final ScriptSession session;
    private final Map<String, FunctionEntry> functions = new LinkedHashMap<>();
    private final Map<String, ClassEntry> classes = new LinkedHashMap<>();
    private App current;
    private int currentVersion = -1;
    /** The backend of functions and classes whose options choose none, or null for the default. */
    private volatile String backend;

    /** A registered function: what deploy needs to register it again, and the handle scripts call. */
    private record FunctionEntry(String name, FunctionOptions options, ClosureBody body, Closure<?> closure,
            Function<Object> function) {
    }

    private record ClassEntry(Class<?> type, FunctionOptions options, Cls<?> cls) {
    }

    SkiffApp(String name, ScriptSession session) {
        this.name = name;
        this.session = session;
    }

    public String getName() {
        return name;
    }

    /**
     * Chooses the backend, {@code 'local'} or {@code 'docker'}, of the functions and classes
     * registered from now on that choose none. Returns this app.
     */
    public synchronized SkiffApp backend(String backendName) {
        dev.skiff.FunctionOptions.defaults().backend(backendName);
        backend = backendName;
        if (current != null) {
            current.backend(backendName);
        }
        return this;
    }

    /** Registers the closure as function {@code name} with default options. */
    public Function<Object> function(String name,
            @DelegatesTo(value = SkiffScript.class, strategy = Closure.OWNER_FIRST) Closure<?> body) {
        return function(Map.of(), name, body);
    }

    /** Registers the closure as function {@code name}, options first as Groovy passes named arguments. */
    public Function<Object> function(Map<String, ?> options, String name,
            @DelegatesTo(value = SkiffScript.class, strategy = Closure.OWNER_FIRST) Closure<?> body) {
        FunctionOptions parsed = NamedOptions.functionOptions(options, "function " + name);
        ClosureBody closureBody = ClosureBody.of(name, body, session.loader().recordedClasses());
        synchronized (this) {
            Function<Object> function = currentApp().register(name, parsed, closureBody,
                    body.getClass().getClassLoader());
            functions.put(name, new FunctionEntry(name, parsed, closureBody, body, function));
            return function;
        }
    }

    /** Registers the closure as function {@code name}, with the options given as a map. */
    public Function<Object> function(String name, Map<String, ?> options,
            @DelegatesTo(value = SkiffScript.class, strategy = Closure.OWNER_FIRST) Closure<?> body) {
        return function(options, name, body);
    }

    /** Registers a class whose {@code @Method} methods run in workers, with default options. */
    public <T> Cls<T> cls(Class<T> type) {
        return cls(Map.of(), type);
    }

    /** Registers a class with options, options first as Groovy passes named arguments. */
    public synchronized <T> Cls<T> cls(Map<String, ?> options, Class<T> type) {
        FunctionOptions parsed = NamedOptions.functionOptions(options, "class " + type.getSimpleName());
        Cls<T> cls = currentApp().cls(type, parsed);
        classes.put(type.getSimpleName(), new ClassEntry(type, parsed, cls));
        return cls;
    }

    /** Registers a class with the options given as a map. */
    public <T> Cls<T> cls(Class<T> type, Map<String, ?> options) {
        return cls(options, type);
    }

    /** Returns the registered functions by name, in registration order. */
    public synchronized Map<String, Function<Object>> getFunctions() {
        Map<String, Function<Object>> result = new LinkedHashMap<>();
        functions.forEach((functionName, entry) -> result.put(functionName, entry.function()));
        return result;
    }

    /** Returns the closure registered as function {@code functionName}, or null when there is none. */
    public synchronized Closure<?> closureOf(String functionName) {
        FunctionEntry entry = functions.get(functionName);
        return entry == null ? null : entry.closure();
    }

    /**
     * Deploys the app with every function and class registered so far, so that
     * {@code Function.fromName} and {@code Cls.fromName} find them from other JVMs on this machine.
     */
    public synchronized void deploy() {
        App app = App.named(name, session.engine(), session.bundle());
        if (backend != null) {
            app.backend(backend);
        }
        for (FunctionEntry entry : functions.values()) {
            app.register(entry.name(), entry.options(), entry.body(), entry.closure().getClass().getClassLoader());
        }
        for (ClassEntry entry : classes.values()) {
            app.cls(entry.type(), entry.options());
        }
        app.deploy();
    }

    /** Returns the class registered under its simple name {@code className}, or null when there is none. */
    public synchronized Cls<?> clsOf(String className) {
        ClassEntry entry = classes.get(className);
        return entry == null ? null : entry.cls();
    }

    /** Returns the type of the class registered under its simple name {@code className}, or null. */
    public synchronized Class<?> typeOf(String className) {
        ClassEntry entry = classes.get(className);
        return entry == null ? null : entry.type();
    }

    /** Returns the registered class names, in registration order. */
    public synchronized List<String> getClassNames() {
        return List.copyOf(classes.keySet());
    }

    @Override
    public String toString() {
        return "SkiffApp[" + name + "]";
    }

    private App currentApp() {
        int version = session.loader().version();
        if (current == null || version != currentVersion) {
            current = App.named(name, session.engine(), session.bundle());
            if (backend != null) {
                current.backend(backend);
            }
            currentVersion = version;
        }
        return current;
    }
}
