package dev.skiff.dsl.repl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Whether shell input is complete Groovy, and how {@code def} on top-level lines is made to persist. */
class InputScannerTest {
    @ParameterizedTest
    @ValueSource(strings = {"println 1", "def f = { x -> x }", "s = 'a { b'", "s = \"(\"", "x = 1 // {",
        "/* { */ y = 2", "t = '''one'''", "list = [1, [2, 3]]", "a = 'it''s'"})
    void completeInputs(String input) {
        assertThat(InputScanner.scan(input).isIncomplete()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"def f = { x ->", "foo(1,", "list = [1,\n2", "t = '''one", "/* comment", "x = 1 + \\",
        "class A {\n  def b() {\n  }"})
    void incompleteInputs(String input) {
        assertThat(InputScanner.scan(input).isIncomplete()).isTrue();
    }

    @Test
    void topLevelLines() {
        assertThat(InputScanner.scan("a = {\nb\n}\nc = '''\nd'''").topLevelLines())
                .containsExactly(true, false, false, true, false);
    }

    @Test
    void definitionsPersistWithColumnsKept() {
        assertThat(ShellEvaluator.persistDefinitions("def x = 1")).isEqualTo("    x = 1");
        assertThat(ShellEvaluator.persistDefinitions("  def   f = { ->\n  def y = 2\n}"))
                .isEqualTo("     " + "   f = { ->\n  def y = 2\n}");
        assertThat(ShellEvaluator.persistDefinitions("def f(x) { x }")).isEqualTo("def f(x) { x }");
        assertThat(ShellEvaluator.persistDefinitions("def same == 1")).isEqualTo("def same == 1");
    }

    @Test
    void typedDeclarationsPersistWithColumnsKept() {
        assertThat(ShellEvaluator.persistDefinitions("int n = 3")).isEqualTo("    n = 3");
        assertThat(ShellEvaluator.persistDefinitions("final String s = 'a'")).isEqualTo("             s = 'a'");
        assertThat(ShellEvaluator.persistDefinitions("Map<String, List<Integer>> m = [:]"))
                .isEqualTo("                           m = [:]");
        assertThat(ShellEvaluator.persistDefinitions("java.time.Duration d = null")).isEqualTo("                   d = null");
        assertThat(ShellEvaluator.persistDefinitions("int[] xs = [1]")).isEqualTo("      xs = [1]");
        assertThat(ShellEvaluator.persistDefinitions("var v = 1\nf = {\n  int y = 2\n}"))
                .isEqualTo("    v = 1\nf = {\n  int y = 2\n}");
        assertThat(ShellEvaluator.persistDefinitions("println x = 1")).isEqualTo("println x = 1");
        assertThat(ShellEvaluator.persistDefinitions("return x = 1")).isEqualTo("return x = 1");
        assertThat(ShellEvaluator.persistDefinitions("int same == 1")).isEqualTo("int same == 1");
    }
}
