package dev.skiff.kernel.java;

import dev.skiff.App;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The imports every kernel starts with: common JDK packages, Skiff's API package {@code dev.skiff},
 * and the display methods. A Skiff type whose simple name is also a type of an imported package,
 * such as {@code Function}, gets a single-type import so that it wins, as {@code dev.skiff.Function}
 * does over {@code java.util.function.Function}. Skiff's other types come from an import on demand,
 * because javac resolves every single-type import, reading its class, for each snippet it compiles.
 * With 36 single-type imports a {@code 1+1} cell took about 4 ms longer (JDK 17, 2-core machine).
 */
final class StartupImports {
    private static final Logger LOG = LoggerFactory.getLogger(StartupImports.class);
    private static final String SKIFF_PACKAGE = "dev.skiff";
    private static final List<String> PACKAGES = List.of("java.io", "java.math", "java.net", "java.nio.file",
            "java.time", "java.util", "java.util.concurrent", "java.util.function", "java.util.regex",
            "java.util.stream");

    private StartupImports() {
    }

    static List<String> all() {
        List<String> imports = new ArrayList<>();
        PACKAGES.forEach(p -> imports.add("import " + p + ".*;"));
        imports.add("import " + SKIFF_PACKAGE + ".*;");
        List<String> skiffTypes = skiffTypes();
        Set<String> shadowing = new LinkedHashSet<>(shadowing(skiffTypes, "java.lang", null));
        for (String imported : PACKAGES) {
            shadowing.addAll(shadowing(skiffTypes, imported, null));
        }
        imports.addAll(shadowing);
        imports.add("import static dev.skiff.kernel.display.Display.*;");
        imports.add("import dev.skiff.kernel.display.Comm;");
        return imports;
    }

    /**
     * Returns single-type imports of the Skiff types whose simple names are also public types of
     * {@code packageName}, as found by {@code loader} (the boot loader when null), so that a
     * Skiff type keeps its name when a cell imports that package on demand.
     */
    static List<String> shadowing(List<String> skiffTypes, String packageName, ClassLoader loader) {
        List<String> imports = new ArrayList<>();
        for (String type : skiffTypes) {
            String simpleName = type.substring(SKIFF_PACKAGE.length() + 1);
            try {
                Class<?> other = Class.forName(packageName + "." + simpleName, false, loader);
                if (Modifier.isPublic(other.getModifiers())) {
                    imports.add("import " + type + ";");
                }
            } catch (ClassNotFoundException | LinkageError e) {
                // No type of that name in the package, so the import on demand of dev.skiff suffices.
            }
        }
        return imports;
    }

    /** Returns the public top-level types of package {@code dev.skiff}, found where App.class was loaded from. */
    static List<String> skiffTypes() {
        TreeSet<String> names = new TreeSet<>();
        try {
            Path location = Path.of(App.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(location)) {
                try (Stream<Path> files = Files.list(location.resolve("dev/skiff"))) {
                    files.map(f -> f.getFileName().toString()).forEach(f -> addClassFile(f, names));
                }
            } else {
                try (JarFile jar = new JarFile(location.toFile())) {
                    for (JarEntry entry : java.util.Collections.list(jar.entries())) {
                        String name = entry.getName();
                        if (name.startsWith("dev/skiff/") && name.indexOf('/', "dev/skiff/".length()) < 0) {
                            addClassFile(name.substring("dev/skiff/".length()), names);
                        }
                    }
                }
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            LOG.warn("Cannot list Skiff's types for the startup imports; import them by name: {}", e.toString());
        }
        List<String> result = new ArrayList<>();
        for (String name : names) {
            try {
                Class<?> type = Class.forName(name, false, App.class.getClassLoader());
                if (Modifier.isPublic(type.getModifiers())) {
                    result.add(name);
                }
            } catch (ClassNotFoundException | LinkageError e) {
                LOG.debug("Skipped {} in the startup imports: {}", name, e.toString());
            }
        }
        return result;
    }

    private static void addClassFile(String fileName, TreeSet<String> names) {
        if (fileName.endsWith(".class") && !fileName.contains("$") && !fileName.equals("package-info.class")) {
            names.add("dev.skiff." + fileName.substring(0, fileName.length() - ".class".length()));
        }
    }
}
