package dev.skiff.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A jar that {@code @Grab} resolves reaches the workers' classpath. The jar is built here and
 * served from a Maven layout in a temporary folder, so the test needs no network.
 */
class GrabTest {
    private static final String GREETER = """
            package greeter;
            public final class Greeter {
                public static String greet(String name) {
                    return "hello, " + name + " from " + Greeter.class.getProtectionDomain().getCodeSource()
                            .getLocation().getPath().replaceAll(".*/", "");
                }
            }
            """;

    @TempDir
    Path folder;
    private String previousGrapeRoot;

    @BeforeEach
    void useTemporaryGrapeCache() {
        previousGrapeRoot = System.getProperty("grape.root");
        System.setProperty("grape.root", folder.resolve("grapes").toString());
    }

    @AfterEach
    void restoreGrapeCache() {
        if (previousGrapeRoot == null) {
            System.clearProperty("grape.root");
        } else {
            System.setProperty("grape.root", previousGrapeRoot);
        }
    }

    @Test
    void grabbedJarReachesWorkers() throws Exception {
        Path repository = greeterRepository();
        Path script = greeterScript(repository);

        assertThat(ScriptHarness.run(script)).isEqualTo("hello, worker from greeter-1.0.jar");
    }

    @Test
    void grabWorksFromCacheOffline() throws Exception {
        Path repository = greeterRepository();
        Path script = greeterScript(repository);
        Files.writeString(script, Files.readString(script) + "println greet.remote('again')\n");
        CliProcess skiff = new CliProcess(folder.resolve("home"))
                .jvmOptions("-Dgrape.root=" + folder.resolve("cli-grapes"));

        CliProcess.Result online = skiff.run(folder, "run", script.toString());
        deleteTree(repository);
        CliProcess.Result offline = skiff.run(folder, "run", script.toString());

        assertThat(online.exitCode()).as(online.toString()).isZero();
        assertThat(online.stdout()).isEqualTo("hello, again from greeter-1.0.jar\n");
        assertThat(Files.exists(repository)).isFalse();
        assertThat(offline.exitCode()).as(offline.toString()).isZero();
        assertThat(offline.stdout()).isEqualTo("hello, again from greeter-1.0.jar\n");
    }

    /** Builds the greeter jar and serves it from a Maven layout in a temporary folder. */
    private Path greeterRepository() throws Exception {
        Path repository = folder.resolve("repository");
        Path artifact = repository.resolve("dev/skiff/test/greeter/1.0");
        Files.createDirectories(artifact);
        writeJar(artifact.resolve("greeter-1.0.jar"), compile("greeter.Greeter", GREETER));
        Files.writeString(artifact.resolve("greeter-1.0.pom"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>dev.skiff.test</groupId>
                  <artifactId>greeter</artifactId>
                  <version>1.0</version>
                </project>
                """);
        return repository;
    }

    private Path greeterScript(Path repository) throws Exception {
        Path script = folder.resolve("grab.groovy");
        Files.writeString(script, """
                @GrabResolver(name = 'test-repository', root = '%s')
                @Grab('dev.skiff.test:greeter:1.0')
                import greeter.Greeter

                def demo = app('grab')
                def greet = demo.function('greet') { String name -> Greeter.greet(name) }
                greet.remote('worker')
                """.formatted(repository.toUri()));
        return script;
    }

    private static void deleteTree(Path root) throws Exception {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static Map<String, byte[]> compile(String className, String source) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        Map<String, ByteArrayOutputStream> outputs = new HashMap<>();
        var manager = new ForwardingJavaFileManager<>(compiler.getStandardFileManager(null, null, null)) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String name, JavaFileObject.Kind kind,
                    FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("bytes:///" + name.replace('.', '/') + ".class"), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        return outputs.computeIfAbsent(name, n -> new ByteArrayOutputStream());
                    }
                };
            }
        };
        JavaFileObject file = new SimpleJavaFileObject(
                URI.create("string:///" + className.replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        assertThat(compiler.getTask(null, manager, null, List.of("--release", "17"), null, List.of(file)).call())
                .isTrue();
        Map<String, byte[]> classes = new HashMap<>();
        outputs.forEach((name, bytes) -> classes.put(name, bytes.toByteArray()));
        return classes;
    }

    private static void writeJar(Path jar, Map<String, byte[]> classes) throws Exception {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (Map.Entry<String, byte[]> entry : classes.entrySet()) {
                out.putNextEntry(new JarEntry(entry.getKey().replace('.', '/') + ".class"));
                out.write(entry.getValue());
                out.closeEntry();
            }
        }
    }
}
