package dev.skiff.kernel.jshell;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValueExpressionTest {
    @ParameterizedTest
    @ValueSource(strings = {"1+1", "x", "-x", "x++", "--x", "\"a\" + 1", "'c'", "1e+5 * 0x1F", "a ? b() : c()",
        "\"n=\" + list.size()", "!list.isEmpty()", "(foo())", "(String) o", "(int) (x * 2)", "new Foo()",
        "new java.util.ArrayList<String>()", "new HashMap<String, List<Integer>>()", "x.new Inner(1)",
        "new int[] {1, 2}", "new Object() { int n = 5; }", "String.class", "Outer.this", "arr[0]", "System.out",
        "null", "true", "a < b", "a > b", "a instanceof String", "1 + switch (k) { default -> 2; }",
        "\"\"\"\n  text \\\"\"\" block\n  \"\"\" + 1", "\"a;b=c\" + 'x'", "1 + 1 // a comment", "/* lead */ 2 * 3"})
    void acceptsExpressionsThatCannotBeVoid(String source) {
        assertThat(ValueExpression.of(source)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo()", "a.b(c)", "System.out.println(1)", "new Foo().bar()", "new ArrayList<>(xs).subList(0, 1)",
        "new java.util.HashMap<String, List<Integer>>().clear()", "list.<String>get(0)",
        "x = 5", "x += 1", "a[0] = 2", "int x = 5", "String s", "List<String> names", "int[] a", "var v = 1",
        "class A {}", "record R(int a) {}", "sealed interface S {}", "void f() {}", "String f() { return \"\"; }",
        "<T> T id(T t) { return t; }", "@Deprecated class B {}", "import java.util.*", "{ x++; }", "if (a) b();",
        "for (;;) {}", "outer: for (;;) {}", "return 1", "throw new RuntimeException()", "x -> x", "String::valueOf",
        "o instanceof String s", "this", "int.class", "", "  ", "// only a comment", "\"unfinished", "(a", "a)"})
    void rejectsEverythingElse(String source) {
        assertThat(ValueExpression.of(source)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1 + 1;", "1 + 1 ;  ", "1 + 1; // done"})
    void dropsTheFinalSemicolon(String source) {
        assertThat(ValueExpression.of(source)).isEqualTo("1 + 1");
    }
}
