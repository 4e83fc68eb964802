package dev.skiff.code;

import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The code a worker needs: classpath entries (jars and class folders on this machine) plus class
 * bytes shipped in memory, each keyed by its SHA-256. Two bundles with the same content have the
 * same {@link #id()}. Immutable and thread-safe; the class loader is created on first use.
 */
public final class CodeBundle implements Serializable {
    private final List<String> classpath;
    private final Map<String, byte[]> classes;
    private final Map<String, String> classHashes;
    private final String id;
    private transient volatile ClassLoader loader;

    private CodeBundle(List<String> classpath, Map<String, byte[]> classes) {
        this.classpath = List.copyOf(classpath);
        this.classes = Map.copyOf(classes);
        Map<String, String> hashes = new LinkedHashMap<>();
        classes.forEach((name, bytes) -> hashes.put(name, sha256(bytes)));
        this.classHashes = Map.copyOf(hashes);
        this.id = computeId(this.classpath, hashes);
    }

    /** Returns a bundle of this JVM's classpath, with the entries of manifest-only jars expanded. */
    public static CodeBundle ofCurrentClasspath() {
        return new CodeBundle(expand(System.getProperty("java.class.path", "")), Map.of());
    }

    /** Returns a bundle of the given classpath entries and shipped classes (binary name to bytes). */
    public static CodeBundle of(List<String> classpath, Map<String, byte[]> classes) {
        return new CodeBundle(classpath, classes);
    }

    /** Returns a copy of this bundle with more shipped classes; a class already present is replaced. */
    public CodeBundle withClasses(Map<String, byte[]> more) {
        Map<String, byte[]> merged = new LinkedHashMap<>(classes);
        merged.putAll(more);
        return new CodeBundle(classpath, merged);
    }

    public List<String> classpath() {
        return classpath;
    }

    /** Returns the shipped classes, binary name to class file bytes. */
    public Map<String, byte[]> classes() {
        return classes;
    }

    /** Returns the SHA-256 of each shipped class, in hexadecimal. */
    public Map<String, String> classHashes() {
        return classHashes;
    }

    /** Returns the SHA-256 over the classpath entries and the shipped class hashes, in hexadecimal. */
    public String id() {
        return id;
    }

    /**
     * Returns a class loader that loads from the classpath entries and the shipped classes, delegating
     * first to {@code parent} so that Skiff's own classes are shared with the caller.
     */
    public ClassLoader loader(ClassLoader parent) {
        ClassLoader result = loader;
        if (result == null) {
            synchronized (this) {
                result = loader;
                if (result == null) {
                    List<URL> urls = new ArrayList<>();
                    Set<String> present = new LinkedHashSet<>(expand(System.getProperty("java.class.path", "")));
                    for (String entry : classpath) {
                        if (!present.contains(entry)) {
                            urls.add(toUrl(entry));
                        }
                    }
                    ClassLoader base = urls.isEmpty() ? parent : new URLClassLoader(urls.toArray(URL[]::new), parent);
                    result = classes.isEmpty() ? base : new ShippedClassLoader(classes, base);
                    loader = result;
                }
            }
        }
        return result;
    }

    /** Splits a classpath string and adds the entries named by manifest {@code Class-Path} attributes. */
    public static List<String> expand(String classpath) {
        Set<String> entries = new LinkedHashSet<>();
        for (String part : classpath.split(File.pathSeparator)) {
            if (!part.isBlank()) {
                addWithManifest(Path.of(part).toAbsolutePath().normalize(), entries);
            }
        }
        return new ArrayList<>(entries);
    }

    private static void addWithManifest(Path entry, Set<String> entries) {
        if (!entries.add(entry.toString())) {
            return;
        }
        if (!entry.toString().endsWith(".jar") || !Files.isRegularFile(entry)) {
            return;
        }
        try (JarFile jar = new JarFile(entry.toFile())) {
            Manifest manifest = jar.getManifest();
            String extra = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (extra == null) {
                return;
            }
            for (String reference : extra.trim().split("\\s+")) {
                if (reference.isEmpty()) {
                    continue;
                }
                Path resolved;
                if (reference.startsWith("file:")) {
                    resolved = Path.of(java.net.URI.create(reference));
                } else {
                    resolved = entry.resolveSibling(reference.replace('/', File.separatorChar));
                }
                addWithManifest(resolved.toAbsolutePath().normalize(), entries);
            }
        } catch (IOException | IllegalArgumentException e) {
            // An unreadable jar stays on the classpath as it is; the JVM reports it if it matters.
        }
    }

    private static URL toUrl(String entry) {
        try {
            return Path.of(entry).toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("Invalid classpath entry " + entry, e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String computeId(List<String> classpath, Map<String, String> hashes) {
        StringBuilder text = new StringBuilder();
        classpath.forEach(entry -> text.append("cp:").append(entry).append('\n'));
        hashes.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> text.append("class:").append(e.getKey()).append('=').append(e.getValue()).append('\n'));
        return sha256(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CodeBundle b && b.id.equals(id);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id);
    }

    @Override
    public String toString() {
        return "CodeBundle[" + id.substring(0, 12) + ", " + classpath.size() + " classpath entries, " + classes.size()
                + " shipped classes]";
    }
}
