package dev.skiff.worker;

import dev.skiff.Enter;
import dev.skiff.Exit;
import dev.skiff.FunctionBody;
import dev.skiff.Method;
import dev.skiff.Parameter;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The code a worker runs: a function body, or an instance of a user class with its marked methods. */
final class LoadedBody {
    private final FunctionBody function;
    private final Object instance;
    private final Map<String, java.lang.reflect.Method> methods;
    private final List<java.lang.reflect.Method> exitHooks;

    private LoadedBody(FunctionBody function, Object instance, Map<String, java.lang.reflect.Method> methods,
            List<java.lang.reflect.Method> exitHooks) {
        this.function = function;
        this.instance = instance;
        this.methods = methods;
        this.exitHooks = exitHooks;
    }

    static LoadedBody ofFunction(FunctionBody body) {
        return new LoadedBody(body, null, Map.of(), List.of());
    }

    /** Instantiates {@code type}, sets its parameter fields and runs its enter hooks. */
    static LoadedBody ofClass(Class<?> type, Map<String, Object> parameters) throws Throwable {
        Object instance;
        try {
            var constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            instance = constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        for (Map.Entry<String, Object> entry : parameters.entrySet()) {
            Field field = findField(type, entry.getKey());
            field.setAccessible(true);
            field.set(instance, entry.getValue());
        }
        Map<String, java.lang.reflect.Method> methods = new HashMap<>();
        List<java.lang.reflect.Method> enterHooks = new ArrayList<>();
        List<java.lang.reflect.Method> exitHooks = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (java.lang.reflect.Method m : c.getDeclaredMethods()) {
                m.setAccessible(true);
                if (m.isAnnotationPresent(Method.class)) {
                    methods.putIfAbsent(m.getName(), m);
                }
                if (m.isAnnotationPresent(Enter.class)) {
                    enterHooks.add(0, m);
                }
                if (m.isAnnotationPresent(Exit.class)) {
                    exitHooks.add(m);
                }
            }
        }
        for (java.lang.reflect.Method hook : enterHooks) {
            invoke(hook, instance, new Object[0]);
        }
        return new LoadedBody(null, instance, methods, exitHooks);
    }

    Object call(String method, Object[] args) throws Throwable {
        if (function != null) {
            return function.invoke(args);
        }
        java.lang.reflect.Method target = methods.get(method);
        if (target == null) {
            throw new NoSuchMethodException("No @Method named " + method + " in " + instance.getClass().getName());
        }
        return invoke(target, instance, args);
    }

    /** Runs the exit hooks, each once, returning the first failure or null. */
    Throwable runExitHooks() {
        Throwable first = null;
        for (java.lang.reflect.Method hook : exitHooks) {
            try {
                invoke(hook, instance, new Object[0]);
            } catch (Throwable e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        return first;
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static Field findField(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField(name);
                if (field.isAnnotationPresent(Parameter.class)) {
                    return field;
                }
            } catch (NoSuchFieldException e) {
                // Look in the superclass.
            }
        }
        throw new NoSuchFieldException("No @Parameter field named " + name + " in " + type.getName());
    }
}
