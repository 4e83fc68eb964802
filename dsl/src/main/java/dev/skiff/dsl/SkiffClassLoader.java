package dev.skiff.dsl;

import groovy.lang.GroovyClassLoader;
import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.ImportCustomizer;

/**
 * The class loader that compiles scripts and shell input. It records the bytes of every class the
 * compiler generates, so that workers, which never see the source, can define the same classes,
 * and it lists the jars that {@code @Grab} added, so that workers get them on their classpath.
 * Thread-safe.
 */
public final class SkiffClassLoader extends GroovyClassLoader {
    /** Classes every script may use without importing them. */
    static final String[] DEFAULT_IMPORTS = {
        "dev.skiff.Enter", "dev.skiff.Exit", "dev.skiff.Method", "dev.skiff.Parameter", "dev.skiff.Retries",
        "dev.skiff.Secret", "dev.skiff.MapOptions", "dev.skiff.FunctionCall", "dev.skiff.Image", "dev.skiff.Volume",
        "dev.skiff.Sandbox", "dev.skiff.SandboxOptions", "dev.skiff.ExecOptions", "dev.skiff.SandboxSnapshot",
        "dev.skiff.Tunnel",
    };

    private final Map<String, byte[]> classes = new LinkedHashMap<>();
    private final AtomicInteger version = new AtomicInteger();
    private final CompilerConfiguration configuration;

    public SkiffClassLoader(ClassLoader parent) {
        this(parent, newConfiguration());
    }

    private SkiffClassLoader(ClassLoader parent, CompilerConfiguration configuration) {
        super(parent, configuration);
        this.configuration = configuration;
    }

    /**
     * Returns the compiler settings of scripts: the DSL base class, the default imports, parameter
     * names kept in the class files so that the CLI can map {@code --name} options, and Java 17 class
     * files, which workers on the Java 17 runtime of the base image load even when this JVM is newer.
     */
    static CompilerConfiguration newConfiguration() {
        CompilerConfiguration config = new CompilerConfiguration();
        config.setTargetBytecode(CompilerConfiguration.JDK17);
        config.setScriptBaseClass(SkiffScript.class.getName());
        config.setParameters(true);
        config.addCompilationCustomizers(new ImportCustomizer().addImports(DEFAULT_IMPORTS));
        return config;
    }

    /** Returns the compiler configuration; customizers added to it apply to later compilations. */
    public CompilerConfiguration getConfiguration() {
        return configuration;
    }

    @Override
    protected ClassCollector createCollector(CompilationUnit unit, SourceUnit su) {
        return new RecordingCollector(new InnerLoader(this), unit, su);
    }

    /** Returns a copy of the recorded classes: binary name to class file bytes. */
    public synchronized Map<String, byte[]> recordedClasses() {
        return new LinkedHashMap<>(classes);
    }

    /** Returns the names of the recorded classes. */
    public synchronized Set<String> recordedClassNames() {
        return Set.copyOf(classes.keySet());
    }

    /** Returns a number that grows each time a class is recorded or a jar is added. */
    public int version() {
        return version.get();
    }

    /** Returns the jars and folders added at run time, by {@code @Grab} or {@link #addURL}. */
    public List<String> addedClasspath() {
        List<String> entries = new ArrayList<>();
        for (URL url : getURLs()) {
            if ("file".equals(url.getProtocol())) {
                try {
                    entries.add(Path.of(url.toURI()).toAbsolutePath().normalize().toString());
                } catch (URISyntaxException | IllegalArgumentException e) {
                    entries.add(new File(url.getPath()).getAbsolutePath());
                }
            }
        }
        return entries;
    }

    @Override
    public void addURL(URL url) {
        super.addURL(url);
        version.incrementAndGet();
    }

    /**
     * Defines classes compiled earlier, recording them as if just compiled, and returns the one named
     * {@code mainName}.
     */
    synchronized Class<?> defineRecorded(Map<String, byte[]> compiled, String mainName) {
        Class<?> main = null;
        for (Map.Entry<String, byte[]> entry : compiled.entrySet()) {
            byte[] code = entry.getValue();
            Class<?> defined = defineClass(entry.getKey(), code, 0, code.length);
            setClassCacheEntry(defined);
            record(entry.getKey(), code);
            if (entry.getKey().equals(mainName)) {
                main = defined;
            }
        }
        if (main == null) {
            throw new LinkageError("the compiled classes lack the script class " + mainName);
        }
        return main;
    }

    synchronized void record(String name, byte[] bytes) {
        classes.put(name, bytes);
        version.incrementAndGet();
    }

    /** Defines each generated class as Groovy does and keeps a copy of its bytes. */
    private final class RecordingCollector extends ClassCollector {
        RecordingCollector(InnerLoader loader, CompilationUnit unit, SourceUnit su) {
            super(loader, unit, su);
        }

        @Override
        @SuppressWarnings("rawtypes")
        protected Class createClass(byte[] code, ClassNode classNode) {
            Class<?> defined = super.createClass(code, classNode);
            // The configuration sets no bytecode post-processor, so these are the bytes just defined.
            record(classNode.getName(), code);
            return defined;
        }
    }
}
