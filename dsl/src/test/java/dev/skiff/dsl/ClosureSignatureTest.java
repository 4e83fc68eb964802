package dev.skiff.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import groovy.lang.Closure;
import groovy.lang.Binding;
import java.util.List;
import org.codehaus.groovy.runtime.InvokerHelper;
import org.junit.jupiter.api.Test;

/** Closure parameters as Groovy compiles them: names, types, default values and arity. */
class ClosureSignatureTest {
    /** Compiles {@code source} as the skiff command does, keeping parameter names, and returns the closure. */
    static Closure<?> closure(String source) {
        SkiffClassLoader loader = new SkiffClassLoader(ClosureSignatureTest.class.getClassLoader());
        Class<?> script = loader.parseClass("return " + source);
        return (Closure<?>) InvokerHelper.createScript(script, new Binding()).run();
    }

    @Test
    void typedParameters() {
        ClosureSignature signature = ClosureSignature.of(closure("{ int n, String word -> }"));

        assertThat(signature.names()).containsExactly("n", "word");
        assertThat(signature.types()).containsExactly(int.class, String.class);
        assertThat(signature.arity()).isEqualTo(2);
    }

    @Test
    void untypedAndNoParameters() {
        assertThat(ClosureSignature.of(closure("{ x -> x }")).types()).containsExactly(Object.class);
        assertThat(ClosureSignature.of(closure("{ -> 1 }")).arity()).isZero();
    }

    @Test
    void implicitItTakesZeroOrOne() {
        ClosureSignature signature = ClosureSignature.of(closure("{ it }"));

        assertThat(signature.names()).containsExactly("it");
        assertThat(signature.arity()).isEqualTo(-1);
    }

    @Test
    void defaultValuesAddShorterOverloads() {
        ClosureSignature signature = ClosureSignature.of(closure("{ int a, String b = 'x', boolean c -> }"));

        assertThat(signature.overloads()).containsExactly(List.of("a", "b", "c"), List.of("a", "c"));
        assertThat(signature.arity()).isEqualTo(-1);
    }

    @Test
    void varargsAcceptAnyCount() {
        assertThat(ClosureSignature.of(closure("{ Object... items -> }")).arity()).isEqualTo(-1);
    }
}
