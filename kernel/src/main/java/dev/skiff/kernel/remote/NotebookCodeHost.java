package dev.skiff.kernel.remote;

import dev.skiff.CodeHost;
import dev.skiff.FunctionBody;
import dev.skiff.InvalidException;
import dev.skiff.code.CodeBundle;
import dev.skiff.kernel.jshell.SnippetClasses;
import dev.skiff.serial.Payloads;
import java.io.NotSerializableException;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships the code of notebook cells to workers. Each registration gets the kernel JVM's classpath,
 * the jars added with {@code %maven} or {@code %classpath}, and the snippet classes that the body
 * or class refers to. Bodies that depend on top-level variables travel in a {@link SnapshotBody}
 * with the current values of every serializable variable of the snippets they refer to; a variable
 * that the body reads and that cannot be serialized fails the registration, naming it. Classes
 * registered with {@code cls} get no such values, so a class that reads a top-level variable fails
 * its registration, naming the variable.
 */
public final class NotebookCodeHost implements CodeHost {
    private static final Logger LOG = LoggerFactory.getLogger(NotebookCodeHost.class);

    private final SnippetClasses classes;
    private final List<String> baseClasspath = CodeBundle.expand(System.getProperty("java.class.path", ""));

    public NotebookCodeHost(SnippetClasses classes) {
        this.classes = classes;
    }

    @Override
    public CodeBundle bundle(Object code) {
        if (code instanceof Class<?> type && classes.isSnippetClass(type.getName())) {
            rejectTopLevelReads(type);
        }
        List<String> classpath = new ArrayList<>(baseClasspath);
        for (String entry : classes.addedClasspath()) {
            if (!classpath.contains(entry)) {
                classpath.add(entry);
            }
        }
        Map<String, byte[]> shipped = code == null ? classes.all() : classes.closure(roots(code));
        return CodeBundle.of(classpath, shipped);
    }

    @Override
    public FunctionBody prepare(String function, FunctionBody body) {
        SerializedLambda lambda = serializedLambda(body);
        List<String> roots = roots(body);
        if (roots.stream().noneMatch(classes::isSnippetClass)) {
            return body;
        }
        Set<String> reads = lambda != null ? StaticReads.ofLambda(classes, lambda)
                : StaticReads.ofClass(classes, body.getClass().getName());
        Map<String, byte[]> values = new LinkedHashMap<>();
        for (String className : classes.closure(roots).keySet()) {
            if (SnippetClasses.isWrapper(className)) {
                snapshot(function, className, reads, values);
            }
        }
        return values.isEmpty() ? body : new SnapshotBody(body, values);
    }

    private void snapshot(String function, String className, Set<String> reads, Map<String, byte[]> values) {
        Class<?> wrapper = classes.loadedClass(className);
        if (wrapper == null) {
            return;
        }
        for (Field field : wrapper.getDeclaredFields()) {
            int modifiers = field.getModifiers();
            if (!Modifier.isStatic(modifiers) || Modifier.isFinal(modifiers) || field.isSynthetic()) {
                continue;
            }
            String key = className + "#" + field.getName();
            Object value;
            try {
                field.setAccessible(true);
                value = field.get(null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.debug("Cannot read top-level variable {}: {}", key, e.toString());
                continue;
            }
            try {
                values.put(key, Payloads.serialize(value));
            } catch (NotSerializableException e) {
                if (reads.contains(key)) {
                    throw new InvalidException("Function " + function + " reads the top-level variable "
                            + field.getName() + ", but it cannot be sent to workers: "
                            + Payloads.describe(value, e) + " Make its type serializable, or create the value"
                            + " inside the function body.", e);
                }
            }
        }
    }

    /**
     * Rejects a class whose methods, or the snippet methods they call, read top-level variables.
     * Workers create the class from its bytes alone and never run the cells that set those variables,
     * so there they would read 0, false or null.
     */
    private void rejectTopLevelReads(Class<?> type) {
        Set<String> variables = new TreeSet<>();
        for (String key : StaticReads.ofClass(classes, type.getName())) {
            int hash = key.indexOf('#');
            String owner = key.substring(0, hash);
            String field = key.substring(hash + 1);
            if (SnippetClasses.isWrapper(owner) && isVariable(owner, field)) {
                variables.add(field);
            }
        }
        if (variables.isEmpty()) {
            return;
        }
        String names = variables.size() == 1 ? "variable " + variables.iterator().next()
                : "variables " + String.join(", ", variables);
        throw new InvalidException("Class " + type.getSimpleName() + " reads the top-level " + names
                + ", but workers of a class registered with cls do not get the values of top-level variables and"
                + " would read 0, false or null. Pass each value to an @Parameter field with withParameters,"
                + " or compute it inside the class.");
    }

    /** Returns whether {@code field} of snippet wrapper class {@code owner} is a top-level variable. */
    private boolean isVariable(String owner, String field) {
        Class<?> wrapper = classes.loadedClass(owner);
        if (wrapper == null) {
            return false;
        }
        try {
            int modifiers = wrapper.getDeclaredField(field).getModifiers();
            return Modifier.isStatic(modifiers) && !Modifier.isFinal(modifiers);
        } catch (NoSuchFieldException e) {
            return false;
        }
    }

    /** Returns the classes where the code of {@code code} lives: a lambda's capturing class, or the class itself. */
    private List<String> roots(Object code) {
        if (code instanceof Class<?> type) {
            return List.of(type.getName());
        }
        SerializedLambda lambda = serializedLambda(code);
        if (lambda != null) {
            return List.of(lambda.getCapturingClass().replace('/', '.'), lambda.getImplClass().replace('/', '.'));
        }
        return List.of(code.getClass().getName());
    }

    private static SerializedLambda serializedLambda(Object body) {
        if (!body.getClass().isSynthetic() && !body.getClass().isHidden()) {
            return null;
        }
        try {
            Method writeReplace = body.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            return writeReplace.invoke(body) instanceof SerializedLambda lambda ? lambda : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
