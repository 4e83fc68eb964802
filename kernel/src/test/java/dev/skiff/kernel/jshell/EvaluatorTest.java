package dev.skiff.kernel.jshell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import org.junit.jupiter.api.Test;

/** The evaluator on a fresh in-process JShell per test, where the first snippet also prepares JShell's cancel class. */
class EvaluatorTest {
    private Evaluator evaluator;

    @BeforeEach
    void start() {
        evaluator = Evaluator.start(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void close() {
        evaluator.close();
    }

    @Test
    void firstSnippetOfFirstCellRuns() {
        CellResult first = cell("int first = 40; int second = 2;", 1);
        assertThat(first.status()).isEqualTo(CellResult.Status.OK);

        CellResult sum = cell("first + second", 2);
        assertThat(sum.status()).isEqualTo(CellResult.Status.OK);
        assertThat(sum.valueText()).isEqualTo("42");
    }

    @Test
    void expressionCellsKeepNoTemporaryVariables() {
        for (int i = 0; i < 5; i++) {
            CellResult result = evaluator.run("40 + " + i + "; 1 + 1", "[" + i + "]");
            assertThat(result.isOk()).isTrue();
            assertThat(result.value()).isEqualTo(2);
        }

        assertThat(evaluator.activeTemporaryCount()).isZero();
    }

    @Test
    void droppedTemporaryKeepsTypeAndValue() {
        cell("java.util.List.of(1, 2, 3)", 1);

        CellResult size = cell("$1.size()", 2);
        CellResult again = cell("$1.get(2) + 10", 3);

        assertThat(size.isOk()).isTrue();
        assertThat(size.value()).isEqualTo(3);
        assertThat(again.value()).isEqualTo(13);
    }

    @Test
    void droppedTemporaryOfPrimitiveType() {
        cell("20 + 1", 1);

        CellResult doubled = cell("int twice = $1 * 2; twice", 2);

        assertThat(doubled.isOk()).isTrue();
        assertThat(doubled.value()).isEqualTo(42);
    }

    @Test
    void anonymousTypeComesBackAsObject() {
        cell("new Object() { public String toString() { return \"anon\"; } }", 1);

        CellResult text = cell("$1.toString()", 2);

        assertThat(text.isOk()).isTrue();
        assertThat(text.value()).isEqualTo("anon");
    }

    @Test
    void userDeclarationOfSameNameWins() {
        cell("\"old\"", 1);
        cell("String $1 = \"new\";", 2);

        CellResult value = cell("$1", 3);

        assertThat(value.value()).isEqualTo("new");
    }

    @Test
    void userExpressionLeavesNoVariable() {
        CellResult expression = evaluator.evaluateExpression("6 * 7", "[user_expressions]");

        CellResult later = cell("$1", 2);

        assertThat(expression.value()).isEqualTo(42);
        assertThat(later.isOk()).isFalse();
        assertThat(later.ename()).isEqualTo("CompilationError");
        assertThat(evaluator.activeTemporaryCount()).isZero();
    }

    @Test
    void valueNamedAfterExecutionCount() {
        cell("int base = 10;", 1);
        cell("base + 1", 2);
        cell("Integer.valueOf(base + 2)", 3);
        cell("\"v\" + base", 4);

        CellResult sum = cell("$2 + $3", 5);
        CellResult text = cell("$4.length()", 6);
        CellResult none = cell("$1", 7);

        assertThat(sum.value()).isEqualTo(23);
        assertThat(text.value()).isEqualTo(3);
        assertThat(none.ename()).isEqualTo("CompilationError");
        assertThat(none.evalue()).isEqualTo("line 1, column 1: cannot find symbol\n  symbol:   variable $1");
    }

    @Test
    void cellClassValueKeepsItsType() {
        cell("class Point { int x = 3; class Inner { int y = 4; } }", 1);
        cell("new Point()", 2);
        cell("$2.new Inner()", 3);

        CellResult both = cell("$2.x + $3.y", 4);

        assertThat(both.isOk()).as(both.evalue()).isTrue();
        assertThat(both.value()).isEqualTo(7);
    }

    @Test
    void expressionValuesShowAsJshellPrintsThem() {
        assertThat(cell("'a'", 1).valueText()).isEqualTo("'a'");
        assertThat(cell("\"a\" + 1", 2).valueText()).isEqualTo("\"a1\"");
        assertThat(cell("new int[] {1, 2}", 3).valueText()).isEqualTo("int[2] { 1, 2 }");
        CellResult nothing = cell("null", 4);
        assertThat(nothing.hasValue()).isTrue();
        assertThat(nothing.value()).isNull();
        assertThat(nothing.valueText()).isEqualTo("null");
    }

    @Test
    void compileErrorOfExpressionIsJshellsOwn() {
        CellResult failed = cell("int a = 1;\nmissing + a", 1);

        assertThat(failed.ename()).isEqualTo("CompilationError");
        assertThat(failed.evalue()).contains("line 2").contains("cannot find symbol").contains("missing")
                .doesNotContain("skiffValue");
    }

    @Test
    void runtimeErrorOfExpressionNamesItsLine() {
        CellResult failed = cell("int zero = 0;\n\n10 / zero", 7);

        assertThat(failed.ename()).isEqualTo("ArithmeticException");
        assertThat(String.join("\n", failed.traceback())).contains("cell [7], line 3");
        assertThat(cell("zero + 1", 8).value()).isEqualTo(1);
        CellResult afterComment = cell("int one = 1;\n// divides\n\n  one /\n zero", 9);
        assertThat(String.join("\n", afterComment.traceback())).contains("cell [9], line 4");
        CellResult statement = cell("int two = 2;\n\nint bad = two / zero;", 10);
        assertThat(String.join("\n", statement.traceback())).contains("cell [10], line 3");
    }

    @Test
    void voidCallRunsOnceAndShowsNothing() {
        cell("java.util.List<String> calls = new java.util.ArrayList<>();", 1);

        CellResult call = cell(
                "calls.add(\"x\"); calls.clear(); calls.add(\"once\"); calls.forEach(c -> {})", 2);

        assertThat(call.isOk()).isTrue();
        assertThat(call.hasValue()).isFalse();
        assertThat(cell("calls", 3).value()).isEqualTo(java.util.List.of("once"));
    }

    @Test
    void interruptStopsExpression() throws Exception {
        CompletableFuture<CellResult> cell = CompletableFuture.supplyAsync(() -> evaluator.run(
                "new java.util.concurrent.CountDownLatch(1).await(1, java.util.concurrent.TimeUnit.HOURS) ? 1 : 0",
                "[1]"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!evaluator.isRunning() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        evaluator.interrupt();

        assertThat(cell.get(30, TimeUnit.SECONDS).status()).isEqualTo(CellResult.Status.INTERRUPTED);
        assertThat(cell("2 * 21", 2).value()).isEqualTo(42);
    }

    @Test
    void valuesMatchThoseOfPlainJshell() {
        List<String> setup = List.of("int x = 5;", "int[] arr = {1, 2, 3};", "String s = \"hey\";", "char ch = 'q';",
                "java.util.List<Integer> list = new java.util.ArrayList<>(java.util.List.of(3, 1, 2));",
                "class Point { int px = 1; public String toString() { return \"P\" + px; } }", "Integer boxed = null;");
        List<String> cells = List.of("1+1", "x", "-x", "x++", "x", "\"a\" + 1", "'c'", "ch + 1", "(char) (ch + 1)",
                "1e+5 * 0x1F", "0.1f", "1/3.0", "Integer.MAX_VALUE + 1", "x > 3 ? \"big\" : \"small\"",
                "\"n=\" + list.size()", "(list.get(0))", "(int) (x * 2.5)", "new Point()", "new int[] {1, 2}",
                "new String[] {\"a\", null}", "arr[1]", "new int[2][3]", "String.class", "null", "boxed",
                "1 + switch (x) { case 6 -> 10; default -> 2; }", "\"\"\"\n  text\n  \"\"\"", "list", "(byte) 300",
                "'a' + 'b'", "\"\\u00e9\\t\"", "new Point().px", "Point.class", "arr.length", "x = 9", "s.length()");
        JShell plain = JShell.builder().executionEngine("local").build();
        try {
            for (String line : setup) {
                plain.eval(line);
                cell(line, 0);
            }
            List<String> mismatches = new ArrayList<>();
            for (String cell : cells) {
                String expected = "(no value)";
                for (SnippetEvent event : plain.eval(cell)) {
                    Snippet.SubKind kind = event.snippet().subKind();
                    if (event.causeSnippet() == null && (kind == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND
                            || kind == Snippet.SubKind.VAR_VALUE_SUBKIND)) {
                        expected = event.value();
                    }
                }
                CellResult result = cell(cell, 1);
                String actual = result.hasValue() ? result.valueText() : "(no value)";
                if (!actual.equals(expected)) {
                    mismatches.add(cell + " showed " + actual + ", JShell " + expected);
                }
            }
            assertThat(mismatches).isEmpty();
        } finally {
            plain.close();
        }
    }

    @Test
    void restoredValueKeepsStaticType() {
        runAll("java.util.List<Integer> numbers = java.util.List.of(1, 2); Integer big = 1000;",
                "new java.util.ArrayList<>(java.util.List.of(\"a\", \"bb\"))", "numbers", "(CharSequence) \"abc\"",
                "big");

        assertThat(cell("$2.get(1).length()", 6).value()).isEqualTo(2);
        assertThat(cell("$3.get(0) + 1", 7).value()).isEqualTo(2);
        assertThat(cell("$4 = new StringBuilder(\"q\"); $4.length()", 8).value()).isEqualTo(1);
        assertThat(cell("$5 == Integer.valueOf(1000)", 9).value()).isEqualTo(false);
    }

    @Test
    void userVariablesWinOverValues() {
        runAll("int $2 = 42; int $skiffValue = 7;", "10", "Math.max(20, 0)", "1 + 1");

        assertThat(cell("$2", 6).value()).isEqualTo(42);
        assertThat(cell("$3", 7).value()).isEqualTo(20);
        assertThat(cell("$4", 5).value()).isEqualTo(2);
        assertThat(cell("$skiffValue", 8).value()).isEqualTo(7);
        assertThat(cell("int $skiffValue = 8;", 9).hasValue()).isFalse();
    }

    @Test
    void failedExpressionLeavesNoVariable() {
        CellResult failed = cell("Integer.parseInt(\"x\")", 1);

        assertThat(failed.ename()).isEqualTo("NumberFormatException");
        assertThat(evaluator.activeTemporaryCount()).isZero();
    }

    /** Runs cells in order as cells [1], [2], and so on, keeping their values. */
    private void runAll(String... cells) {
        for (int i = 0; i < cells.length; i++) {
            cell(cells[i], i + 1);
        }
    }

    /** Runs a cell as the kernel runs the one with execution count {@code count}, keeping its value as $count. */
    private CellResult cell(String code, int count) {
        return evaluator.run(code, "[" + count + "]", "$" + count);
    }
}
