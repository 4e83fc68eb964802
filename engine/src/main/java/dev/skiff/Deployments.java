package dev.skiff;

import dev.skiff.code.CodeBundle;
import dev.skiff.engine.PoolSpec;
import dev.skiff.serial.Payloads;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store of deployed apps under {@code SKIFF_HOME/apps/NAME}. Each deployment is written to a
 * fresh folder under {@code versions/}, then published by atomically replacing the {@code current}
 * file that names it. Writers hold a file lock, so concurrent deploys from any JVM never mix two
 * versions; readers never see a half-written one. The two newest versions are kept.
 */
final class Deployments {
    private static final Logger LOG = LoggerFactory.getLogger(Deployments.class);
    private static final ReentrantLock LOCAL_LOCK = new ReentrantLock();
    private static final String DEPLOYMENT_FILE = "deployment.ser";

    record DeployedFunction(String name, byte[] body, int arity, FunctionOptions options) implements Serializable {
    }

    record DeployedClass(String name, String className, Set<String> methods, Set<String> parameterNames,
            FunctionOptions options) implements Serializable {
    }

    record DeployedApp(String name, Instant deployedAt, List<String> classpath, Map<String, byte[]> shippedClasses,
            List<DeployedFunction> functions, List<DeployedClass> classes) implements Serializable {
    }

    private Deployments() {
    }

    static Path appsFolder() {
        return SkiffHome.path().resolve("apps");
    }

    static void deploy(App app) {
        List<DeployedFunction> functions = new ArrayList<>();
        for (Function<?> function : app.functions()) {
            PoolSpec spec = function.spec();
            functions.add(new DeployedFunction(function.name(), spec.body(), function.arity(), spec.options()));
        }
        List<DeployedClass> classes = new ArrayList<>();
        for (Cls<?> cls : app.classes()) {
            classes.add(new DeployedClass(cls.name(), cls.className(), new TreeSet<>(cls.methods()),
                    new TreeSet<>(cls.parameterNameSet()), cls.options()));
        }
        CodeBundle bundle = app.bundle();
        DeployedApp deployed = new DeployedApp(app.name(), Instant.now(), bundle.classpath(),
                new TreeMap<>(bundle.classes()), functions, classes);
        Path folder = appsFolder().resolve(app.name());
        LOCAL_LOCK.lock();
        try {
            Files.createDirectories(folder.resolve("versions"));
            try (FileChannel channel = FileChannel.open(folder.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
                String version = deployed.deployedAt().toEpochMilli() + "-" + ProcessHandle.current().pid() + "-"
                        + System.nanoTime();
                Path versionFolder = folder.resolve("versions").resolve(version);
                Files.createDirectories(versionFolder);
                Path file = createOwnerOnlyFile(versionFolder.resolve(DEPLOYMENT_FILE));
                try (OutputStream out = Files.newOutputStream(file);
                        ObjectOutputStream objects = new ObjectOutputStream(out)) {
                    objects.writeObject(deployed);
                }
                Path pointer = folder.resolve("current.tmp");
                Files.writeString(pointer, version, StandardCharsets.UTF_8);
                Files.move(pointer, folder.resolve("current"), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                pruneOldVersions(folder.resolve("versions"), version);
                LOG.info("Deployed app {} ({} functions, {} classes) as version {}", app.name(), functions.size(),
                        classes.size(), version);
            }
        } catch (IOException e) {
            throw new SkiffException("Failed to deploy app " + app.name() + " to " + folder + ": " + e
                    + ". Check that the Skiff home (SKIFF_HOME) is a writable folder.", e);
        } finally {
            LOCAL_LOCK.unlock();
        }
    }

    /** Returns the names of the deployed apps, sorted. */
    static List<String> list() {
        Path apps = appsFolder();
        if (!Files.isDirectory(apps)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(apps)) {
            return entries.filter(p -> Files.isRegularFile(p.resolve("current"))).map(p -> p.getFileName().toString())
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to list deployed apps in " + apps, e);
        }
    }

    /** Removes a deployed app; returns false when none was deployed under that name. */
    static boolean remove(String appName) {
        App.checkName("app", appName);
        Path folder = appsFolder().resolve(appName);
        if (!Files.isRegularFile(folder.resolve("current"))) {
            return false;
        }
        LOCAL_LOCK.lock();
        try (FileChannel channel = FileChannel.open(folder.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
            Files.deleteIfExists(folder.resolve("current"));
            deleteTree(folder.resolve("versions"));
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to remove deployed app " + appName + " from " + folder, e);
        } finally {
            LOCAL_LOCK.unlock();
        }
    }

    static <R> Function<R> function(String appName, String functionName) {
        DeployedApp deployed = load(appName);
        CodeBundle bundle = CodeBundle.of(deployed.classpath(), deployed.shippedClasses());
        ClassLoader loader = bundle.loader(Deployments.class.getClassLoader());
        App app = App.named(appName, null, bundle);
        for (DeployedFunction function : deployed.functions()) {
            if (function.name().equals(functionName)) {
                String key = appName + "/" + functionName + "/" + bundle.id() + "/" + App.shortHash(function.body());
                PoolSpec spec = new PoolSpec(key, functionName, bundle, function.body(), null, null, function.options());
                return new Function<>(app, functionName, null, spec, function.arity(), loader, args -> {
                    FunctionBody body = (FunctionBody) Payloads.deserialize(function.body(), loader);
                    return body.invoke(args);
                });
            }
        }
        List<String> names = deployed.functions().stream().map(DeployedFunction::name).toList();
        throw new NotFoundException("App \"" + appName + "\" has no function \"" + functionName
                + "\"; its deployed functions are " + names + ".");
    }

    static <T> Cls<T> cls(String appName, String className) {
        DeployedApp deployed = load(appName);
        CodeBundle bundle = CodeBundle.of(deployed.classpath(), deployed.shippedClasses());
        ClassLoader loader = bundle.loader(Deployments.class.getClassLoader());
        App app = App.named(appName, null, bundle);
        for (DeployedClass cls : deployed.classes()) {
            if (cls.name().equals(className)) {
                return new Cls<>(app, cls.name(), cls.className(), bundle, cls.options(), cls.methods(),
                        cls.parameterNames(), Map.of(), loader);
            }
        }
        List<String> names = deployed.classes().stream().map(DeployedClass::name).toList();
        throw new NotFoundException("App \"" + appName + "\" has no class \"" + className
                + "\"; its deployed classes are " + names + ".");
    }

    private static DeployedApp load(String appName) {
        App.checkName("app", appName);
        Path folder = appsFolder().resolve(appName);
        Path pointer = folder.resolve("current");
        if (!Files.isRegularFile(pointer)) {
            throw new NotFoundException("App \"" + appName + "\" is not deployed in " + appsFolder()
                    + ": call deploy() on it first, or set SKIFF_HOME to the home it was deployed to.");
        }
        try {
            String version = Files.readString(pointer, StandardCharsets.UTF_8).trim();
            try (InputStream in = Files.newInputStream(folder.resolve("versions").resolve(version)
                    .resolve(DEPLOYMENT_FILE)); ObjectInputStream objects = new ObjectInputStream(in)) {
                return (DeployedApp) objects.readObject();
            }
        } catch (IOException | ClassNotFoundException e) {
            throw new SkiffException("Failed to read the deployment of app \"" + appName + "\" from " + folder
                    + ": " + e.getMessage() + ". Deploy it again.", e);
        }
    }

    private static void pruneOldVersions(Path versions, String keep) throws IOException {
        List<Path> all = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(versions)) {
            entries.forEach(all::add);
        }
        all.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
        boolean keptPrevious = false;
        for (Path version : all) {
            if (version.getFileName().toString().equals(keep)) {
                continue;
            }
            if (!keptPrevious) {
                keptPrevious = true;
                continue;
            }
            deleteTree(version);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Creates an empty file readable only by its owner, before any secret is written to it. */
    private static Path createOwnerOnlyFile(Path file) throws IOException {
        try {
            return Files.createFile(file,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            LOG.warn("File system of {} has no POSIX permissions; the deployment may be readable by others", file);
            return Files.createFile(file);
        }
    }
}
