package dev.skiff.dsl.repl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.codehaus.groovy.control.CompilationFailedException;
import org.junit.jupiter.api.Test;

/** Groovy cells in this JVM, without workers: values, shared variables, compile errors and source names. */
class GroovyCellsTest {
    private final GroovyCells cells = new GroovyCells();

    @Test
    void variablesPersistAcrossCells() {
        cells.evaluate("def greeting = 'hi'\nint times = 2\nseparator = '-'");

        assertThat(cells.evaluate("([greeting] * times).join(separator)")).isEqualTo("hi-hi");
    }

    @Test
    void sourceNameNamesEachCell() {
        assertThat(cells.sourceName()).isNull();

        cells.evaluate("1");
        assertThat(cells.sourceName()).isEqualTo("Shell1.groovy");

        cells.evaluate("class Point { int x }\nnew Point(x: 1)");
        assertThat(cells.sourceName()).isEqualTo("Shell2.groovy");
        assertThat(cells.userClassNames()).contains("Shell1", "Shell2", "Point");
    }

    @Test
    void compileErrorsHaveCellPositions() {
        CompilationFailedException failure = catchThrowableOfType(CompilationFailedException.class,
                () -> cells.evaluate("x = 1\ny = new NoSuchThing()\nz = new OtherMissing()"));

        assertThat(GroovyCells.compileErrors(failure)).containsExactly(
                new GroovyCells.CompileError(2, 5, "unable to resolve class NoSuchThing"),
                new GroovyCells.CompileError(3, 5, "unable to resolve class OtherMissing"));
    }

    @Test
    void formatMatchesShell() {
        assertThat(GroovyCells.format("text")).isEqualTo("text");
        assertThat(GroovyCells.format(List.of(1, 2))).isEqualTo("[1, 2]");
        assertThat(GroovyCells.format(java.util.Map.of("a", 1))).isEqualTo("[a:1]");
    }

    @Test
    void isCompleteReadsBrackets() {
        assertThat(GroovyCells.isComplete("def f = { x -> x }")).isTrue();
        assertThat(GroovyCells.isComplete("def f = { x ->")).isFalse();
    }
}
