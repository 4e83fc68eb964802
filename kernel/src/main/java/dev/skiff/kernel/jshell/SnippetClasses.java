package dev.skiff.kernel.jshell;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The classes that JShell compiled for this kernel's cells, as class file bytes and as loaded
 * classes, plus the classpath entries added at run time (by {@code %maven} or {@code %classpath}).
 * Thread-safe.
 */
public final class SnippetClasses {
    /** JShell puts every snippet class in this package. */
    public static final String PACKAGE = "REPL";
    private static final Pattern REFERENCE = Pattern.compile(PACKAGE + "/[A-Za-z0-9_$]+");
    private static final Pattern WRAPPER = Pattern.compile(PACKAGE + "\\.\\$JShell\\$\\d+[A-Z]*");

    private final Map<String, byte[]> bytes = new ConcurrentHashMap<>();
    private final Map<String, Class<?>> classes = new ConcurrentHashMap<>();
    private final List<String> addedClasspath = new CopyOnWriteArrayList<>();
    private volatile ClassLoader loader;

    void attach(ClassLoader snippetLoader) {
        this.loader = snippetLoader;
    }

    void record(String name, byte[] classBytes) {
        bytes.put(name, classBytes);
    }

    void defined(String name, Class<?> type) {
        classes.put(name, type);
    }

    void addClasspathEntry(String entry) {
        if (!addedClasspath.contains(entry)) {
            addedClasspath.add(entry);
        }
    }

    Class<?> definedClass(String name) {
        return classes.get(name);
    }

    /** Returns the class loader of snippet classes and of classpath entries added at run time. */
    public ClassLoader loader() {
        return loader;
    }

    /** Returns whether {@code name} (a binary class name) is a snippet class of this kernel. */
    public boolean isSnippetClass(String name) {
        return bytes.containsKey(name);
    }

    /** Returns the original bytes of a snippet class, or null. */
    public byte[] bytes(String name) {
        return bytes.get(name);
    }

    /** Returns the loaded snippet class of that binary name, or null. */
    public Class<?> loadedClass(String name) {
        return classes.get(name);
    }

    /** Returns the classpath entries added at run time, in the order they were added. */
    public List<String> addedClasspath() {
        return List.copyOf(addedClasspath);
    }

    /** Returns every snippet class recorded so far, binary name to original bytes. */
    public Map<String, byte[]> all() {
        return Map.copyOf(bytes);
    }

    /**
     * Returns the snippet classes that {@code roots} refer to, directly or through other snippet
     * classes, roots included: binary name to original bytes. References are found in the constant
     * pool's strings, so types named only in descriptors or signatures count too.
     */
    public Map<String, byte[]> closure(Collection<String> roots) {
        Map<String, byte[]> result = new LinkedHashMap<>();
        Deque<String> pending = new ArrayDeque<>(roots);
        while (!pending.isEmpty()) {
            String name = pending.pop();
            byte[] classBytes = bytes.get(name);
            if (classBytes == null || result.containsKey(name)) {
                continue;
            }
            result.put(name, classBytes);
            for (String text : ClassFile.parse(classBytes).strings()) {
                Matcher matcher = REFERENCE.matcher(text);
                while (matcher.find()) {
                    String referenced = matcher.group().replace('/', '.');
                    if (!result.containsKey(referenced)) {
                        pending.push(referenced);
                    }
                }
            }
        }
        return result;
    }

    /**
     * Returns whether {@code name} is a top-level snippet class ({@code REPL.$JShell$12}, or
     * {@code REPL.$JShell$12B} once recompiled), whose static fields are the top-level variables.
     */
    public static boolean isWrapper(String name) {
        return WRAPPER.matcher(name).matches();
    }
}
