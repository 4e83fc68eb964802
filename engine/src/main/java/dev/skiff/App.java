package dev.skiff;

import dev.skiff.code.CodeBundle;
import dev.skiff.engine.PoolSpec;
import dev.skiff.serial.Payloads;
import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named group of functions and classes. Registering a name again replaces the earlier entry, as
 * re-running a notebook cell does. {@link #deploy()} stores the app so that other JVMs on this
 * machine can look its functions up by name. Thread-safe.
 */
public final class App {
    private static final Logger LOG = LoggerFactory.getLogger(App.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static volatile CodeBundle classpathBundle;
    private static volatile CodeHost codeHost;

    private final String name;
    private final Engine engine;
    /** The bundle given at creation, or null to ask the code host (or use the classpath) at each registration. */
    private final CodeBundle bundle;
    private final Map<String, Function<?>> functions = new LinkedHashMap<>();
    private final Map<String, Cls<?>> classes = new LinkedHashMap<>();
    /** The backend of functions and classes registered later that choose none, or null for the default. */
    private volatile String backend;

    private App(String name, Engine engine, CodeBundle bundle) {
        this.name = checkName("app", name);
        this.engine = engine;
        this.bundle = bundle;
    }

    /**
     * Returns a new app on the process-wide default engine, shipping this JVM's classpath to workers,
     * or the code that the {@linkplain #setCodeHost code host} supplies at each registration.
     */
    public static App named(String name) {
        return new App(name, null, null);
    }

    /** Returns a new app whose calls run on {@code engine}; its code is chosen as by {@link #named(String)}. */
    public static App named(String name, Engine engine) {
        return new App(name, Objects.requireNonNull(engine, "engine"), null);
    }

    /** Returns a new app whose workers load {@code bundle}, for code that is not on this JVM's classpath. */
    public static App named(String name, Engine engine, CodeBundle bundle) {
        return new App(name, engine, Objects.requireNonNull(bundle, "bundle"));
    }

    /**
     * Sets the host that supplies code for apps created without a bundle, from then on, or with null
     * restores this JVM's classpath. Apps created with an explicit bundle keep theirs.
     */
    public static void setCodeHost(CodeHost host) {
        codeHost = host;
    }

    public <R> Function<R> function(String name, FunctionBody.Of0<R> body) {
        return register(name, FunctionOptions.defaults(), body);
    }

    public <A, R> Function<R> function(String name, FunctionBody.Of1<A, R> body) {
        return register(name, FunctionOptions.defaults(), body);
    }

    public <A, B, R> Function<R> function(String name, FunctionBody.Of2<A, B, R> body) {
        return register(name, FunctionOptions.defaults(), body);
    }

    public <A, B, C, R> Function<R> function(String name, FunctionBody.Of3<A, B, C, R> body) {
        return register(name, FunctionOptions.defaults(), body);
    }

    public <R> Function<R> function(String name, FunctionOptions options, FunctionBody.Of0<R> body) {
        return register(name, options, body);
    }

    public <A, R> Function<R> function(String name, FunctionOptions options, FunctionBody.Of1<A, R> body) {
        return register(name, options, body);
    }

    public <A, B, R> Function<R> function(String name, FunctionOptions options, FunctionBody.Of2<A, B, R> body) {
        return register(name, options, body);
    }

    public <A, B, C, R> Function<R> function(String name, FunctionOptions options,
            FunctionBody.Of3<A, B, C, R> body) {
        return register(name, options, body);
    }

    /** Registers a body that takes any number of arguments as an array. */
    public <R> Function<R> varargsFunction(String name, FunctionOptions options, FunctionBody.Varargs<R> body) {
        return register(name, options, body);
    }

    /** Registers any {@link FunctionBody}, such as one built by a language front end. */
    public <R> Function<R> register(String name, FunctionOptions options, FunctionBody body) {
        return register(name, options, body, body.getClass().getClassLoader());
    }

    /**
     * Registers a body whose results and exceptions the caller decodes with {@code loader}, for
     * bodies whose result types live in another class loader, such as a compiled script's.
     */
    public <R> Function<R> register(String name, FunctionOptions options, FunctionBody body, ClassLoader loader) {
        Objects.requireNonNull(loader, "loader");
        options = withBackend(Objects.requireNonNull(options, "options"));
        checkName("function", name);
        checkScaling(name, options);
        checkBackendOptions("function", name, options);
        Objects.requireNonNull(body, "body");
        CodeHost host = bundle == null ? codeHost : null;
        FunctionBody shipped = host == null ? body : Objects.requireNonNull(host.prepare(name, body), "prepared body");
        CodeBundle code = host == null ? bundle() : host.bundle(body);
        byte[] serialized;
        try {
            serialized = Payloads.serialize(shipped);
        } catch (NotSerializableException e) {
            throw new InvalidException("The body of function " + name + " cannot be sent to workers: "
                    + Payloads.describe(body, e) + " Capture only serializable values in the lambda.", e);
        }
        String key = this.name + "/" + name + "/" + code.id() + "/" + shortHash(serialized);
        PoolSpec spec = new PoolSpec(key, name, code, serialized, null, null, options);
        Function<R> function = new Function<>(this, name, null, spec, body.arity(), loader, body::invoke);
        if (options.minContainers() > 0) {
            engine().scheduler().warm(spec);
        }
        synchronized (this) {
            if (functions.put(name, function) != null) {
                LOG.info("App {}: function {} redefined", this.name, name);
            }
        }
        return function;
    }

    /**
     * Rejects, at registration rather than at the first call, an unknown {@code SKIFF_BACKEND} and the
     * options that only the docker backend applies when the function runs on the local one.
     */
    private static void checkBackendOptions(String kind, String name, FunctionOptions options) {
        if (!options.effectiveBackend().equals("local")) {
            return;
        }
        List<String> dockerOnly = new ArrayList<>();
        if (options.image() != null) {
            dockerOnly.add("image");
        }
        if (!options.volumes().isEmpty()) {
            dockerOnly.add("volumes");
        }
        if (!options.mounts().isEmpty()) {
            dockerOnly.add("mounts");
        }
        if (!dockerOnly.isEmpty()) {
            throw new InvalidException("The " + kind + " " + name + " sets " + String.join(", ", dockerOnly)
                    + ", which only the docker backend applies, but it would run on the local backend. Choose docker "
                    + "with backend(\"docker\") in its options or its app, or SKIFF_BACKEND=docker; or remove "
                    + String.join(", ", dockerOnly) + ".");
        }
    }

    /** Registers a class with default options; see {@link Cls}. */
    public <T> Cls<T> cls(Class<T> type) {
        return cls(type, FunctionOptions.defaults());
    }

    /**
     * Chooses the backend, {@code local} or {@code docker}, of the functions and classes registered
     * from now on whose options choose none; it takes precedence over {@code SKIFF_BACKEND}.
     * Returns this app.
     */
    public App backend(String name) {
        FunctionOptions.defaults().backend(name);
        this.backend = name;
        return this;
    }

    private FunctionOptions withBackend(FunctionOptions options) {
        String chosen = backend;
        return chosen == null || options.backend() != null ? options : options.backend(chosen);
    }

    /** Registers a class under its simple name; see {@link Cls}. */
    public <T> Cls<T> cls(Class<T> type, FunctionOptions options) {
        Objects.requireNonNull(type, "type");
        options = withBackend(Objects.requireNonNull(options, "options"));
        String clsName = checkName("class", type.getSimpleName());
        checkScaling(clsName, options);
        checkBackendOptions("class", clsName, options);
        CodeHost host = bundle == null ? codeHost : null;
        CodeBundle code = host == null ? bundle() : host.bundle(type);
        Cls<T> cls = new Cls<>(this, clsName, type.getName(), code, options, Cls.inspect(type),
                Cls.parameterNames(type), Map.of(), type.getClassLoader());
        if (options.minContainers() > 0) {
            engine().scheduler().warm(cls.spec());
        }
        synchronized (this) {
            if (classes.put(clsName, cls) != null) {
                LOG.info("App {}: class {} redefined", this.name, clsName);
            }
        }
        return cls;
    }

    /**
     * Stores this app (code bundle, bodies and options) under the Skiff home, replacing an earlier
     * deployment of the same name, so that {@link Function#fromName} and {@link Cls#fromName}
     * find it from any JVM on this machine.
     */
    public void deploy() {
        Deployments.deploy(this);
    }

    public String name() {
        return name;
    }

    /** Returns the engine that runs this app's calls. */
    public Engine engine() {
        return engine != null ? engine : Engine.getDefault();
    }

    CodeBundle bundle() {
        if (bundle != null) {
            return bundle;
        }
        CodeHost host = codeHost;
        return host == null ? currentClasspath() : host.bundle(null);
    }

    synchronized Collection<Function<?>> functions() {
        return java.util.List.copyOf(functions.values());
    }

    synchronized Collection<Cls<?>> classes() {
        return java.util.List.copyOf(classes.values());
    }

    @Override
    public String toString() {
        return "App[" + name + "]";
    }

    static String checkName(String kind, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new InvalidException("Invalid " + kind + " name " + (value == null ? "null" : "\"" + value + "\"")
                    + ": use 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit.");
        }
        return value;
    }

    private static void checkScaling(String name, FunctionOptions options) {
        Objects.requireNonNull(options, "options");
        if (options.minContainers() > options.maxContainers()) {
            throw new InvalidException("Invalid options for " + name + ": minContainers " + options.minContainers()
                    + " is greater than maxContainers " + options.maxContainers() + "; lower minContainers or raise "
                    + "maxContainers.");
        }
    }

    static String shortHash(byte[] bytes) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
            return HexFormat.of().formatHex(Arrays.copyOf(digest, 8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static CodeBundle currentClasspath() {
        CodeBundle result = classpathBundle;
        if (result == null) {
            result = CodeBundle.ofCurrentClasspath();
            classpathBundle = result;
        }
        return result;
    }
}
