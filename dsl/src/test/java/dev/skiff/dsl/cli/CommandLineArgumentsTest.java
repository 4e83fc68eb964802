package dev.skiff.dsl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.dsl.ClosureSignature;
import dev.skiff.dsl.SkiffClassLoader;
import groovy.lang.Closure;
import groovy.lang.Binding;
import java.math.BigDecimal;
import java.util.List;
import org.codehaus.groovy.runtime.InvokerHelper;
import org.junit.jupiter.api.Test;

/** {@code --name value} options to closure arguments, by parameter name and type. */
class CommandLineArgumentsTest {
    private static ClosureSignature signature(String source) {
        SkiffClassLoader loader = new SkiffClassLoader(CommandLineArgumentsTest.class.getClassLoader());
        Class<?> script = loader.parseClass("return " + source);
        return ClosureSignature.of((Closure<?>) InvokerHelper.createScript(script, new Binding()).run());
    }

    private static Object[] parse(String closure, String... words) throws UsageException {
        return CommandLineArguments.parse(signature(closure), List.of(words), "function f");
    }

    @Test
    void convertsToDeclaredTypes() throws UsageException {
        assertThat(parse("{ int n, long big, double x, BigDecimal d, String s, untyped, List items -> }",
                "--items", "a,b", "--n", "3", "--big=9000000000", "--x", "0.5", "--d", "1.25", "--s", "text",
                "--untyped", "42")).containsExactly(3, 9_000_000_000L, 0.5, new BigDecimal("1.25"), "text", "42",
                List.of("a", "b"));
    }

    @Test
    void listElementsTakeTheDeclaredElementType() throws UsageException {
        assertThat(parse("{ List<Integer> batch, List<String> words -> }", "--batch", "1, 2,3", "--words", "a,b"))
                .containsExactly(List.of(1, 2, 3), List.of("a", "b"));
        assertThatThrownBy(() -> parse("{ List<Integer> batch -> }", "--batch", "1,x"))
                .isInstanceOf(UsageException.class)
                .hasMessage("invalid value 'x' for --batch: expected a whole number (Integer).");
    }

    @Test
    void booleansTakeFlags() throws UsageException {
        assertThat(parse("{ boolean verbose, boolean dry -> }", "--verbose", "--no-dry")).containsExactly(true, false);
        assertThat(parse("{ boolean verbose -> }")).containsExactly(false);
        assertThat(parse("{ boolean verbose -> }", "--verbose", "false")).containsExactly(false);
    }

    @Test
    void defaultsMayBeLeftOut() throws UsageException {
        assertThat(parse("{ int a, int b = 7 -> }", "--a", "1")).containsExactly(1);
        assertThat(parse("{ int a, int b = 7 -> }", "--b", "2", "--a", "1")).containsExactly(1, 2);
    }

    @Test
    void errorsNameTheParameter() {
        assertThatThrownBy(() -> parse("{ int n -> }", "--n", "x"))
                .hasMessage("invalid value 'x' for --n: expected a whole number (int).");
        assertThatThrownBy(() -> parse("{ int n -> }", "--m", "1"))
                .hasMessage("unknown option --m for function f; its parameters are --n <int>.");
        assertThatThrownBy(() -> parse("{ int n -> }"))
                .hasMessage("missing --n for function f; its parameters are --n <int>.");
        assertThatThrownBy(() -> parse("{ int n -> }", "--n"))
                .hasMessage("missing value for --n of function f.");
        assertThatThrownBy(() -> parse("{ int n -> }", "3"))
                .hasMessage("unexpected argument '3' for function f; give parameters as --name value; its parameters "
                        + "are --n <int>.");
        assertThatThrownBy(() -> parse("{ -> }", "--n", "3"))
                .hasMessage("unknown option --n for function f; it takes no parameters.");
        assertThatThrownBy(() -> parse("{ Thread t -> }", "--t", "x"))
                .hasMessageStartingWith("parameter t has type java.lang.Thread, which the command line cannot give");
    }
}
