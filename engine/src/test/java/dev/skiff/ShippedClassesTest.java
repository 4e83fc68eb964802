package dev.skiff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.code.CodeBundle;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/** Classes that exist only as bytes in the caller, as a notebook's or script's do, still run in workers. */
class ShippedClassesTest {
    private static final String SOURCE = """
            public class Shipped implements dev.skiff.FunctionBody.Of1<Integer, String> {
                public String apply(Integer x) {
                    return "shipped " + (x + 1000) + " by " + getClass().getClassLoader().getName();
                }
            }
            """;

    @Test
    void shippedClassRunsInWorker() throws Exception {
        Map<String, byte[]> classes = compile("Shipped", SOURCE);
        CodeBundle bundle = CodeBundle.ofCurrentClasspath().withClasses(classes);
        assertThat(bundle.classHashes()).containsOnlyKeys("Shipped");
        assertThat(bundle.classHashes().get("Shipped")).hasSize(64);
        assertThat(bundle.id()).isNotEqualTo(CodeBundle.ofCurrentClasspath().id());

        ClassLoader loader = bundle.loader(getClass().getClassLoader());
        FunctionBody body = (FunctionBody) loader.loadClass("Shipped").getDeclaredConstructor().newInstance();
        try (Engine engine = Engine.embedded()) {
            App app = App.named("shipped", engine, bundle);
            Function<String> shipped = app.register("shipped", FunctionOptions.defaults(), body);
            assertThat(shipped.remote(1)).isEqualTo("shipped 1001 by skiff-bundle");
            assertThat(shipped.map(List.of(2, 3))).containsExactly("shipped 1002 by skiff-bundle",
                    "shipped 1003 by skiff-bundle");
        }
    }

    private static Map<String, byte[]> compile(String className, String source) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        Map<String, ByteArrayOutputStream> outputs = new HashMap<>();
        StandardJavaFileManager standard = compiler.getStandardFileManager(null, null, null);
        var manager = new ForwardingJavaFileManager<>(standard) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String name, JavaFileObject.Kind kind,
                    FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("bytes:///" + name + ".class"), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        return outputs.computeIfAbsent(name, n -> new ByteArrayOutputStream());
                    }
                };
            }
        };
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + className + ".java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        List<String> options = List.of("-classpath", System.getProperty("java.class.path"));
        boolean compiled = compiler.getTask(null, manager, null, options, null, List.of(file)).call();
        assertThat(compiled).isTrue();
        Map<String, byte[]> classes = new HashMap<>();
        outputs.forEach((name, bytes) -> classes.put(name, bytes.toByteArray()));
        return classes;
    }
}
