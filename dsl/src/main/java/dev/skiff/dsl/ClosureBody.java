package dev.skiff.dsl;

import dev.skiff.FunctionBody;
import groovy.grape.Grape;
import groovy.lang.Binding;
import groovy.lang.Closure;
import groovy.lang.MissingPropertyException;
import groovy.lang.Script;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A function body made of a Groovy closure. The closure travels dehydrated (without its owner,
 * delegate and {@code this}), so the script object stays on the caller. In a worker it is
 * rehydrated with a new, never-run instance of its script class, whose binding contains the values of
 * the script variables that the closure names, copied when the function was defined. Script
 * methods therefore work in workers, and so do variables assigned without {@code def}.
 * Local calls run the original closure.
 */
public final class ClosureBody implements FunctionBody {
    private static final long serialVersionUID = 1L;

    private final String function;
    private final Closure<?> closure;
    private final String scriptClass;
    private final Map<String, Object> bindingValues;
    private final Set<String> skippedVariables;
    private final int arity;
    private transient Closure<?> original;
    private transient volatile Closure<?> rehydrated;

    private ClosureBody(String function, Closure<?> closure, String scriptClass, Map<String, Object> bindingValues,
            Set<String> skippedVariables, int arity, Closure<?> original) {
        this.function = function;
        this.closure = closure;
        this.scriptClass = scriptClass;
        this.bindingValues = bindingValues;
        this.skippedVariables = skippedVariables;
        this.arity = arity;
        this.original = original;
    }

    /**
     * Returns the body of function {@code function} made of {@code closure}, capturing the script
     * variables that the closure's classes name, as found in {@code classes} (binary name to bytes).
     */
    static ClosureBody of(String function, Closure<?> closure, Map<String, byte[]> classes) {
        Object self = closure.getThisObject();
        String scriptClass = self instanceof Script ? self.getClass().getName() : null;
        Map<String, Object> values = new LinkedHashMap<>();
        Set<String> skipped = Set.of();
        if (self instanceof Script script) {
            BindingCapture capture = BindingCapture.of(closure.getClass().getName(), scriptClass, classes,
                    script.getBinding());
            values = capture.values();
            skipped = capture.skipped();
        }
        int arity = ClosureSignature.of(closure).arity();
        return new ClosureBody(function, closure.dehydrate(), scriptClass, values, Set.copyOf(skipped), arity, closure);
    }

    @Override
    public Object invoke(Object[] args) throws Exception {
        Closure<?> local = original;
        if (local != null) {
            return local.call(args);
        }
        try {
            return rehydrated().call(args);
        } catch (MissingPropertyException e) {
            throw explain(e);
        }
    }

    @Override
    public int arity() {
        return arity;
    }

    private Closure<?> rehydrated() throws ReflectiveOperationException {
        Closure<?> result = rehydrated;
        if (result == null) {
            synchronized (this) {
                result = rehydrated;
                if (result == null) {
                    result = rehydrate();
                    rehydrated = result;
                }
            }
        }
        return result;
    }

    private Closure<?> rehydrate() throws ReflectiveOperationException {
        if (scriptClass == null) {
            return closure;
        }
        // A script with @Grab resolves its jars again when its class initializes. Workers already have
        // the jars grabbed at compile time on their classpath, and their class loader cannot take more.
        Grape.setEnableGrapes(false);
        Class<?> type = Class.forName(scriptClass, true, closure.getClass().getClassLoader());
        var constructor = type.getDeclaredConstructor();
        constructor.setAccessible(true);
        Script script = (Script) constructor.newInstance();
        script.setBinding(new Binding(new LinkedHashMap<>(bindingValues)));
        return closure.rehydrate(script, script, script);
    }

    private RuntimeException explain(MissingPropertyException e) {
        String property = e.getProperty();
        if (property == null || e.getType() == null || !e.getType().getName().equals(scriptClass)) {
            return e;
        }
        String reason = skippedVariables.contains(property)
                ? "its value is not serializable, so it was not sent to workers; create the value inside the function "
                        + "or use a serializable one"
                : "it was not set when function " + function + " was defined; assign it before the function is "
                        + "defined or pass it as an argument";
        MissingPropertyException explained = new MissingPropertyException(
                "No such property: " + property + " in the worker of function " + function + ": " + reason + ".",
                property, e.getType());
        explained.setStackTrace(e.getStackTrace());
        return explained;
    }
}
