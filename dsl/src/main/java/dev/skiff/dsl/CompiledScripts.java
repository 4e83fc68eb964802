package dev.skiff.dsl;

import dev.skiff.SkiffHome;
import groovy.lang.GroovyCodeSource;
import groovy.lang.GroovySystem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.codehaus.groovy.control.CompilationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles script files, keeping the generated classes under the Skiff home ({@code cache/scripts})
 * so that running an unchanged script again skips the compiler. The key covers the script's path
 * and text, the Skiff and Groovy builds and the Java version. Scripts that mention {@code @Grab} are
 * always compiled, because grabbing jars happens while compiling. {@code SKIFF_SCRIPT_CACHE=false}
 * turns the cache off. A damaged or unreadable entry is ignored and written again.
 */
public final class CompiledScripts {
    private static final Logger LOG = LoggerFactory.getLogger(CompiledScripts.class);
    private static final int FORMAT = 0x534b4331;
    /** Entries kept; older ones are deleted when a new one is written. */
    private static final int KEPT = 64;

    private CompiledScripts() {
    }

    /**
     * Returns the script class of {@code file}, defined in the session's class loader with every
     * class recorded for shipping, from the cache when it contains this exact script.
     *
     * @throws CompilationFailedException with Groovy's own messages when the file does not compile
     */
    public static Class<?> load(ScriptSession session, Path file) throws IOException {
        byte[] text = Files.readAllBytes(file);
        Path entry = cacheable(text) ? entryFor(file, text) : null;
        if (entry != null) {
            Class<?> cached = read(session.loader(), entry);
            if (cached != null) {
                return cached;
            }
        }
        GroovyCodeSource source = new GroovyCodeSource(file.toFile(), "UTF-8");
        Class<?> type = session.loader().parseClass(source, false);
        if (entry != null) {
            write(entry, type.getName(), session.loader().recordedClasses());
        }
        return type;
    }

    private static boolean cacheable(byte[] text) {
        return !"false".equalsIgnoreCase(System.getenv("SKIFF_SCRIPT_CACHE"))
                && !new String(text, StandardCharsets.UTF_8).contains("@Grab");
    }

    private static Path entryFor(Path file, byte[] text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(file.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(text);
            digest.update((byte) 0);
            digest.update(buildIdentity().getBytes(StandardCharsets.UTF_8));
            String key = HexFormat.of().formatHex(digest.digest(), 0, 20);
            return SkiffHome.path().resolve("cache").resolve("scripts").resolve(key + ".classes");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Names the builds that produced a class file: Skiff's jar or classes folder, Groovy and Java. */
    private static String buildIdentity() {
        StringBuilder identity = new StringBuilder();
        identity.append(GroovySystem.getVersion()).append('|').append(Runtime.version()).append('|');
        try {
            Path location = Path.of(SkiffScript.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            identity.append(location).append('|').append(Files.getLastModifiedTime(location).toMillis())
                    .append('|').append(Files.size(location));
        } catch (IOException | URISyntaxException | RuntimeException e) {
            identity.append("unknown build ").append(System.nanoTime());
        }
        return identity.toString();
    }

    private static Class<?> read(SkiffClassLoader loader, Path entry) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(entry);
        } catch (IOException e) {
            return null;
        }
        Map<String, byte[]> classes = new LinkedHashMap<>();
        String mainName;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != FORMAT) {
                return null;
            }
            mainName = in.readUTF();
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                byte[] code = new byte[in.readInt()];
                in.readFully(code);
                classes.put(name, code);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Ignoring the damaged compiled script {}: {}", entry, e.toString());
            return null;
        }
        try {
            return loader.defineRecorded(classes, mainName);
        } catch (LinkageError e) {
            LOG.warn("Ignoring the compiled script {}, which no longer loads: {}", entry, e.toString());
            return null;
        }
    }

    private static void write(Path entry, String mainName, Map<String, byte[]> classes) {
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(buffer)) {
                out.writeInt(FORMAT);
                out.writeUTF(mainName);
                out.writeInt(classes.size());
                for (Map.Entry<String, byte[]> item : classes.entrySet()) {
                    out.writeUTF(item.getKey());
                    out.writeInt(item.getValue().length);
                    out.write(item.getValue());
                }
            }
            Path folder = entry.getParent();
            Files.createDirectories(folder);
            Path temporary = Files.createTempFile(folder, "script", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(temporary, buffer.toByteArray());
            Files.move(temporary, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            prune(folder);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("Cannot keep the compiled script in {}; it is compiled again next time: {}", entry, e.toString());
        }
    }

    private static void prune(Path folder) throws IOException {
        List<Path> entries;
        try (Stream<Path> files = Files.list(folder)) {
            entries = files.filter(path -> path.getFileName().toString().endsWith(".classes")).toList();
        }
        if (entries.size() <= KEPT) {
            return;
        }
        List<Path> oldestFirst = entries.stream().sorted((a, b) -> Long.compare(modified(a), modified(b))).toList();
        for (Path old : oldestFirst.subList(0, oldestFirst.size() - KEPT)) {
            Files.deleteIfExists(old);
        }
    }

    private static long modified(Path path) {
        try {
            return Files.getLastModifiedTime(path).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
