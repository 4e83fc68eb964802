package dev.skiff.kernel.jshell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** The evaluator on a fresh in-process JShell, where the first snippet also prepares JShell's cancel class. */
class EvaluatorTest {
    @Test
    void firstSnippetOfFirstCellRuns() {
        try (Evaluator evaluator = Evaluator.start(new PrintStream(OutputStream.nullOutputStream()))) {
            CellResult first = evaluator.run("int first = 40; int second = 2;", "[1]");
            assertThat(first.status()).isEqualTo(CellResult.Status.OK);

            CellResult sum = evaluator.run("first + second", "[2]");
            assertThat(sum.status()).isEqualTo(CellResult.Status.OK);
            assertThat(sum.valueText()).isEqualTo("42");
        }
    }
}
