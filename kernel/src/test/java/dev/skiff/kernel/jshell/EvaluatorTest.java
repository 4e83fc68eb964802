package dev.skiff.kernel.jshell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
        CellResult first = evaluator.run("int first = 40; int second = 2;", "[1]");
        assertThat(first.status()).isEqualTo(CellResult.Status.OK);

        CellResult sum = evaluator.run("first + second", "[2]");
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
        evaluator.run("java.util.List.of(1, 2, 3)", "[1]");

        CellResult size = evaluator.run("$1.size()", "[2]");
        CellResult again = evaluator.run("$1.get(2) + 10", "[3]");

        assertThat(size.isOk()).isTrue();
        assertThat(size.value()).isEqualTo(3);
        assertThat(again.value()).isEqualTo(13);
    }

    @Test
    void droppedTemporaryOfPrimitiveType() {
        evaluator.run("20 + 1", "[1]");

        CellResult doubled = evaluator.run("int twice = $1 * 2; twice", "[2]");

        assertThat(doubled.isOk()).isTrue();
        assertThat(doubled.value()).isEqualTo(42);
    }

    @Test
    void anonymousTypeComesBackAsObject() {
        evaluator.run("new Object() { public String toString() { return \"anon\"; } }", "[1]");

        CellResult text = evaluator.run("$1.toString()", "[2]");

        assertThat(text.isOk()).isTrue();
        assertThat(text.value()).isEqualTo("anon");
    }

    @Test
    void userDeclarationOfSameNameWins() {
        evaluator.run("\"old\"", "[1]");
        evaluator.run("String $1 = \"new\";", "[2]");

        CellResult value = evaluator.run("$1", "[3]");

        assertThat(value.value()).isEqualTo("new");
    }

    @Test
    void userExpressionLeavesNoVariable() {
        CellResult expression = evaluator.evaluateExpression("6 * 7", "[user_expressions]");

        CellResult later = evaluator.run("$1", "[2]");

        assertThat(expression.value()).isEqualTo(42);
        assertThat(later.isOk()).isFalse();
        assertThat(later.ename()).isEqualTo("CompilationError");
        assertThat(evaluator.activeTemporaryCount()).isZero();
    }

    @Test
    void runtimeErrorOfExpressionNamesItsLine() {
        CellResult failed = evaluator.run("int zero = 0;\n\n10 / zero", "[7]");

        assertThat(failed.ename()).isEqualTo("ArithmeticException");
        assertThat(String.join("\n", failed.traceback())).contains("cell [7], line 3");
        assertThat(evaluator.run("zero + 1", "[8]").value()).isEqualTo(1);
        CellResult afterComment = evaluator.run("int one = 1;\n// divides\n\n  one /\n zero", "[9]");
        assertThat(String.join("\n", afterComment.traceback())).contains("cell [9], line 4");
        CellResult statement = evaluator.run("int two = 2;\n\nint bad = two / zero;", "[10]");
        assertThat(String.join("\n", statement.traceback())).contains("cell [10], line 3");
    }
}
