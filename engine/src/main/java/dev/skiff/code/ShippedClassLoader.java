package dev.skiff.code;

import java.util.Map;

/** Defines classes from bytes shipped in a {@link CodeBundle}, after asking its parent. */
public final class ShippedClassLoader extends ClassLoader {
    static {
        registerAsParallelCapable();
    }

    private final Map<String, byte[]> classes;

    public ShippedClassLoader(Map<String, byte[]> classes, ClassLoader parent) {
        super("skiff-bundle", parent);
        this.classes = Map.copyOf(classes);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = classes.get(name);
        if (bytes == null) {
            throw new ClassNotFoundException(name);
        }
        return defineClass(name, bytes, 0, bytes.length);
    }
}
