package dev.skiff.kernel.jshell;

import java.util.ArrayList;
import java.util.List;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;

/** Splits a cell into JShell snippets with {@link SourceCodeAnalysis#analyzeCompletion}. */
final class CellSplitter {
    /**
     * One snippet of a cell.
     *
     * @param source the snippet as JShell takes it, with a semicolon added where one was missing
     * @param start offset of the snippet's first character in the cell, in UTF-16 units
     * @param completeness whether the snippet is complete; the last piece may be incomplete
     */
    record Piece(String source, int start, Completeness completeness) {
        boolean isComplete() {
            return completeness.isComplete();
        }
    }

    private CellSplitter() {
    }

    /**
     * Returns the snippets of {@code code} in order. Text that does not form a complete snippet ends
     * the list as one piece whose completeness status gives the reason; blank text and comments alone give none.
     */
    static List<Piece> split(SourceCodeAnalysis analysis, String code) {
        List<Piece> pieces = new ArrayList<>();
        int offset = 0;
        String remaining = code;
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            Completeness completeness = info.completeness();
            if (completeness == Completeness.EMPTY) {
                break;
            }
            if (!completeness.isComplete() && completeness != Completeness.UNKNOWN || info.source() == null) {
                pieces.add(new Piece(remaining, offset, completeness));
                break;
            }
            pieces.add(new Piece(info.source(), offset, completeness));
            String rest = info.remaining();
            if (rest.length() >= remaining.length()) {
                break;
            }
            offset += remaining.length() - rest.length();
            remaining = rest;
        }
        return pieces;
    }
}
