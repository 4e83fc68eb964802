package dev.skiff.dsl;

import groovy.lang.Closure;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The parameters of a closure, read from its {@code doCall} methods: one method per way to call
 * it, since Groovy adds a shorter method for each parameter with a default value. Untyped
 * parameters have type {@code Object}. Names are the source names when the script was compiled
 * with parameter names kept (as {@link SkiffClassLoader} does), else {@code arg0}, …
 *
 * @param names parameter names of the longest {@code doCall} method
 * @param types parameter types, in the same order
 * @param overloads the parameter names of each {@code doCall} method, longest first
 * @param arity the exact argument count, or -1 when the closure accepts several counts (an implicit
 *     {@code it}, default values) or varargs
 */
public record ClosureSignature(List<String> names, List<Class<?>> types, List<List<String>> overloads, int arity,
        List<java.lang.reflect.Type> genericTypes) {

    /** Reads the signature of {@code closure}. */
    public static ClosureSignature of(Closure<?> closure) {
        List<Method> methods = new ArrayList<>();
        boolean varargs = false;
        for (Method method : closure.getClass().getDeclaredMethods()) {
            if (method.getName().equals("doCall")) {
                methods.add(method);
                varargs |= method.isVarArgs();
            }
        }

        if (methods.isEmpty()) {
            // A closure without doCall, such as a method pointer or a curried closure: trust its own types.
            List<Class<?>> types = List.of(closure.getParameterTypes());
            List<String> names = new ArrayList<>();
            for (int i = 0; i < types.size(); i++) {
                names.add("arg" + i);
            }
            return new ClosureSignature(List.copyOf(names), types, List.of(List.copyOf(names)), -1,
                    List.copyOf(types));
        }

        return ofMethods(methods, varargs);
    }

    /**
     * Reads the signature of the {@link dev.skiff.Method @Method} methods named {@code methodName} in
     * {@code type} and its superclasses, or returns null when there are none.
     */
    public static ClosureSignature ofClassMethod(Class<?> type, String methodName) {
        List<Method> methods = new ArrayList<>();
        boolean varargs = false;
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method method : c.getDeclaredMethods()) {
                if (method.getName().equals(methodName) && method.isAnnotationPresent(dev.skiff.Method.class)) {
                    methods.add(method);
                    varargs |= method.isVarArgs();
                }
            }
        }
        return methods.isEmpty() ? null : ofMethods(methods, varargs);
    }

    private static ClosureSignature ofMethods(List<Method> methods, boolean varargs) {
        methods.sort(Comparator.comparingInt(Method::getParameterCount).reversed());
        List<List<String>> overloads = new ArrayList<>();
        for (Method method : methods) {
            List<String> names = new ArrayList<>();
            for (java.lang.reflect.Parameter parameter : method.getParameters()) {
                names.add(parameter.getName());
            }
            overloads.add(List.copyOf(names));
        }

        Method longest = methods.get(0);
        List<String> names = overloads.get(0);
        List<Class<?>> types = List.of(longest.getParameterTypes());
        boolean implicitIt = names.size() == 1 && names.get(0).equals("it") && types.get(0) == Object.class;
        int arity = methods.size() == 1 && !varargs && !implicitIt ? longest.getParameterCount() : -1;
        return new ClosureSignature(names, types, List.copyOf(overloads), arity,
                List.of(longest.getGenericParameterTypes()));
    }

    /**
     * Returns the element type of parameter {@code name} when it is declared as a collection of a
     * class, such as {@code Integer} for {@code List<Integer>}, else {@code Object}.
     */
    public Class<?> elementTypeOf(String name) {
        int index = names.indexOf(name);
        if (index < 0 || index >= genericTypes.size()
                || !(genericTypes.get(index) instanceof java.lang.reflect.ParameterizedType parameterized)) {
            return Object.class;
        }
        java.lang.reflect.Type[] arguments = parameterized.getActualTypeArguments();
        return arguments.length == 1 && arguments[0] instanceof Class<?> element ? element : Object.class;
    }

    /** Returns the type of parameter {@code name}, or null when the closure has none of that name. */
    public Class<?> typeOf(String name) {
        int index = names.indexOf(name);
        return index < 0 ? null : types.get(index);
    }
}
