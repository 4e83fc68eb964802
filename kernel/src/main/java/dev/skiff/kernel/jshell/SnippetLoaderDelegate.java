package dev.skiff.kernel.jshell;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl.ClassBytecodes;
import jdk.jshell.spi.ExecutionControl.ClassInstallException;
import jdk.jshell.spi.ExecutionControl.InternalException;

/**
 * Defines snippet classes in this JVM and records their bytes in {@link SnippetClasses} as JShell
 * loads them, so that the kernel can ship them to workers. Classes are defined with
 * {@code System.exit} redirected to {@link CellExit}; the recorded bytes are the originals.
 */
final class SnippetLoaderDelegate implements LoaderDelegate {
    private final SnippetClasses registry;
    private final SnippetClassLoader loader;
    private final Set<String> jvmClasspath;

    SnippetLoaderDelegate(SnippetClasses registry, ClassLoader parent, Set<String> jvmClasspath) {
        this.registry = registry;
        this.loader = new SnippetClassLoader(parent);
        this.jvmClasspath = jvmClasspath;
        registry.attach(loader);
    }

    ClassLoader loader() {
        return loader;
    }

    @Override
    public void load(ClassBytecodes[] classes) throws ClassInstallException {
        for (ClassBytecodes c : classes) {
            loader.declare(c.name(), ExitRewriter.rewrite(c.bytecodes()));
            registry.record(c.name(), c.bytecodes());
        }
        boolean[] installed = new boolean[classes.length];
        for (int i = 0; i < classes.length; i++) {
            try {
                Class<?> type = loader.loadClass(classes[i].name());
                type.getDeclaredMethods();
                registry.defined(classes[i].name(), type);
                installed[i] = true;
            } catch (ClassNotFoundException | LinkageError e) {
                throw new ClassInstallException("failed to load snippet class " + classes[i].name() + ": " + e,
                        installed);
            }
        }
    }

    @Override
    public void classesRedefined(ClassBytecodes[] classes) {
        for (ClassBytecodes c : classes) {
            loader.declare(c.name(), ExitRewriter.rewrite(c.bytecodes()));
            registry.record(c.name(), c.bytecodes());
        }
    }

    @Override
    public void addToClasspath(String classpath) throws InternalException {
        for (String entry : classpath.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            String normalized = Path.of(entry).toAbsolutePath().normalize().toString();
            if (jvmClasspath.contains(normalized)) {
                continue;
            }
            try {
                loader.addUrl(Path.of(normalized).toUri().toURL());
                registry.addClasspathEntry(normalized);
            } catch (MalformedURLException e) {
                throw new InternalException("invalid classpath entry " + entry + ": " + e.getMessage());
            }
        }
    }

    @Override
    public Class<?> findClass(String name) throws ClassNotFoundException {
        Class<?> type = registry.definedClass(name);
        if (type == null) {
            throw new ClassNotFoundException("no snippet class " + name + " was loaded");
        }
        return type;
    }

    /** Defines declared snippet classes on request and loads classes of added classpath entries. */
    private static final class SnippetClassLoader extends URLClassLoader {
        static {
            registerAsParallelCapable();
        }

        private final Map<String, byte[]> declared = new ConcurrentHashMap<>();

        SnippetClassLoader(ClassLoader parent) {
            super("skiff-cells", new URL[0], parent);
        }

        void declare(String name, byte[] bytes) {
            declared.put(name, bytes);
        }

        void addUrl(URL url) {
            addURL(url);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = declared.remove(name);
            if (bytes != null) {
                return defineClass(name, bytes, 0, bytes.length);
            }
            return super.findClass(name);
        }
    }
}
