package dev.skiff;

import dev.skiff.code.CodeBundle;
import dev.skiff.engine.PoolSpec;
import dev.skiff.serial.Payloads;
import java.io.NotSerializableException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A user class whose instances live in workers: {@link Enter} methods run once per worker before
 * its first input, {@link Method} methods serve calls, {@link Exit} methods run when the worker
 * stops. Instance state persists across calls served by one worker. Each distinct set of
 * {@link Parameter} values has its own pool of workers. Thread-safe.
 */
public final class Cls<T> {
    private final App app;
    private final String name;
    private final String className;
    private final CodeBundle bundle;
    private final FunctionOptions options;
    private final Set<String> methods;
    private final Set<String> parameterNames;
    private final Map<String, Object> parameters;
    private final ClassLoader loader;
    private final PoolSpec spec;
    private volatile Object localInstance;

    Cls(App app, String name, String className, CodeBundle bundle, FunctionOptions options, Set<String> methods,
            Set<String> parameterNames, Map<String, Object> parameters, ClassLoader loader) {
        this.app = app;
        this.name = name;
        this.className = className;
        this.bundle = bundle;
        this.options = options;
        this.methods = Collections.unmodifiableSortedSet(new TreeSet<>(methods));
        this.parameterNames = Collections.unmodifiableSortedSet(new TreeSet<>(parameterNames));
        this.parameters = parameters;
        this.loader = loader;
        byte[] encoded;
        try {
            encoded = Payloads.encodeValue(new TreeMap<>(parameters));
        } catch (NotSerializableException e) {
            throw new InvalidException("Cannot send the parameters of class " + name + ": "
                    + Payloads.describe(parameters, e) + " Use serializable parameter values.", e);
        }
        String key = app.name() + "/" + className + "/" + bundle.id() + "/"
                + HexFormat.of().formatHex(java.util.Arrays.copyOf(sha256(encoded), 8));
        this.spec = new PoolSpec(key, name, bundle, null, className, encoded, options);
    }

    /** Returns the class deployed as {@code name} in app {@code appName} under the Skiff home. */
    public static <T> Cls<T> fromName(String appName, String name) {
        return Deployments.cls(appName, name);
    }

    /** Checks a user class and returns the names of its {@link Method} methods. */
    static Set<String> inspect(Class<?> type) {
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            throw new InvalidException("Class " + type.getName() + " is abstract; give a concrete class.");
        }
        if (type.getEnclosingClass() != null && !Modifier.isStatic(type.getModifiers())) {
            throw new InvalidException("Class " + type.getName() + " is an inner class; make it static so a worker "
                    + "can create it without an outer instance.");
        }
        try {
            type.getDeclaredConstructor();
        } catch (NoSuchMethodException e) {
            throw new InvalidException("Class " + type.getName() + " has no constructor without arguments; add one.");
        }
        Set<String> names = new TreeSet<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (java.lang.reflect.Method m : c.getDeclaredMethods()) {
                if ((m.isAnnotationPresent(Enter.class) || m.isAnnotationPresent(Exit.class))
                        && m.getParameterCount() != 0) {
                    throw new InvalidException("Hook " + type.getName() + "." + m.getName()
                            + " takes arguments; @Enter and @Exit methods take none.");
                }
                if (m.isAnnotationPresent(Method.class) && !names.add(m.getName()) && c == type) {
                    throw new InvalidException("Class " + type.getName() + " has several @Method methods named "
                            + m.getName() + "; give each a unique name.");
                }
            }
        }
        if (names.isEmpty()) {
            throw new InvalidException("Class " + type.getName() + " has no @Method methods; mark the methods that "
                    + "callers may run with @dev.skiff.Method.");
        }
        return names;
    }

    static Set<String> parameterNames(Class<?> type) {
        Set<String> names = new TreeSet<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (field.isAnnotationPresent(Parameter.class)) {
                    if (Modifier.isStatic(field.getModifiers()) || Modifier.isFinal(field.getModifiers())) {
                        throw new InvalidException("Parameter field " + type.getName() + "." + field.getName()
                                + " must be neither static nor final.");
                    }
                    names.add(field.getName());
                }
            }
        }
        return names;
    }

    /**
     * Returns this class bound to parameter values; each distinct set of values gets its own workers.
     * Keys must name {@link Parameter} fields.
     */
    public Cls<T> withParameters(Map<String, ?> values) {
        Map<String, Object> merged = new LinkedHashMap<>(parameters);
        for (Map.Entry<String, ?> entry : values.entrySet()) {
            if (!parameterNames.contains(entry.getKey())) {
                throw new InvalidException("Class " + name + " has no @Parameter field named " + entry.getKey()
                        + "; its parameters are " + parameterNames + ".");
            }
            merged.put(entry.getKey(), entry.getValue());
        }
        return new Cls<>(app, name, className, bundle, options, methods, parameterNames, merged, loader);
    }

    /** Returns a handle to run {@code methodName} remotely on this class's workers. */
    public <R> Function<R> method(String methodName) {
        if (!methods.contains(methodName)) {
            throw new InvalidException("Class " + name + " has no @Method named " + methodName + "; its methods are "
                    + methods + ".");
        }
        int arity = methodArity(methodName);
        return new Function<>(app, name, methodName, spec, arity, loader, args -> invokeLocally(methodName, args));
    }

    /** Same as {@link #method(String)}, under Modal's name for looking up a method of a deployed class. */
    public <R> Function<R> lookup(String methodName) {
        return method(methodName);
    }

    public String name() {
        return name;
    }

    /** Returns the parameter count of a method when this JVM can load the class, else -1 (unchecked). */
    private int methodArity(String methodName) {
        try {
            Class<?> type = Class.forName(className, false, loader);
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (java.lang.reflect.Method m : c.getDeclaredMethods()) {
                    if (m.getName().equals(methodName) && m.isAnnotationPresent(Method.class)) {
                        return m.isVarArgs() ? -1 : m.getParameterCount();
                    }
                }
            }
        } catch (ClassNotFoundException | LinkageError e) {
            // A deployed class whose code this JVM cannot load: the worker checks the arguments.
        }
        return -1;
    }

    /** Returns the names of the methods marked {@link Method}. */
    public Set<String> methods() {
        return methods;
    }

    /** Returns the parameter values this handle is bound to. */
    public Map<String, Object> parameters() {
        return Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
    }

    public App app() {
        return app;
    }

    String className() {
        return className;
    }

    CodeBundle bundle() {
        return bundle;
    }

    FunctionOptions options() {
        return options;
    }

    Set<String> parameterNameSet() {
        return parameterNames;
    }

    PoolSpec spec() {
        return spec;
    }

    @Override
    public String toString() {
        return "Cls[" + app.name() + "/" + name + (parameters.isEmpty() ? "" : ", " + parameters) + "]";
    }

    private Object invokeLocally(String methodName, Object[] args) throws Exception {
        Object instance = localInstance();
        for (Class<?> c = instance.getClass(); c != null; c = c.getSuperclass()) {
            for (java.lang.reflect.Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(methodName) && m.isAnnotationPresent(Method.class)) {
                    m.setAccessible(true);
                    return invoke(m, instance, args);
                }
            }
        }
        throw new InvalidException("Class " + name + " has no @Method named " + methodName + ".");
    }

    private Object localInstance() throws Exception {
        Object instance = localInstance;
        if (instance == null) {
            synchronized (this) {
                instance = localInstance;
                if (instance == null) {
                    instance = createLocalInstance();
                    localInstance = instance;
                }
            }
        }
        return instance;
    }

    private Object createLocalInstance() throws Exception {
        Class<?> type = Class.forName(className, true, loader);
        var constructor = type.getDeclaredConstructor();
        constructor.setAccessible(true);
        Object instance = constructor.newInstance();
        for (Map.Entry<String, Object> entry : parameters.entrySet()) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                try {
                    Field field = c.getDeclaredField(entry.getKey());
                    field.setAccessible(true);
                    field.set(instance, entry.getValue());
                    break;
                } catch (NoSuchFieldException e) {
                    // Look in the superclass.
                }
            }
        }
        List<Class<?>> hierarchy = new java.util.ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            hierarchy.add(0, c);
        }
        for (Class<?> c : hierarchy) {
            for (java.lang.reflect.Method m : c.getDeclaredMethods()) {
                if (m.isAnnotationPresent(Enter.class)) {
                    m.setAccessible(true);
                    invoke(m, instance, new Object[0]);
                }
            }
        }
        return instance;
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Exception {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw Outcomes.<Exception>sneaky(e.getCause());
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
