package dev.skiff.kernel.jshell;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import jdk.jshell.SourceCodeAnalysis;

/**
 * Completion, documentation and completeness checks for cells, from JShell's source analysis.
 * Positions are in UTF-16 units of the cell; callers convert from the protocol's code points.
 */
public final class CodeAssist {
    /** Completion matches, replacing the cell text from {@code start} to {@code end}. */
    public record Completion(List<String> matches, int start, int end) {
    }

    /** Result of a completeness check: "complete", "incomplete" or "invalid", with an indent for the next line. */
    public record Readiness(String status, String indent) {
    }

    private static final String INDENT = "    ";

    private final Evaluator evaluator;

    public CodeAssist(Evaluator evaluator) {
        this.evaluator = evaluator;
    }

    /** Returns the completions at {@code cursor}; {@code start} is where the word being completed begins. */
    public Completion complete(String code, int cursor) {
        return evaluator.withAnalysis(analysis -> {
            Located located = locate(analysis, code, cursor);
            int[] anchor = new int[1];
            String text = code.substring(located.start, cursor);
            List<SourceCodeAnalysis.Suggestion> suggestions = analysis.completionSuggestions(text, text.length(),
                    anchor);
            Set<String> typed = new LinkedHashSet<>();
            Set<String> other = new LinkedHashSet<>();
            for (SourceCodeAnalysis.Suggestion suggestion : suggestions) {
                (suggestion.matchesType() ? typed : other).add(suggestion.continuation());
            }
            List<String> matches = new ArrayList<>(typed);
            other.stream().filter(m -> !typed.contains(m)).forEach(matches::add);
            int start = suggestions.isEmpty() ? cursor : located.start + anchor[0];
            return new Completion(matches, start, cursor);
        });
    }

    /**
     * Returns the signatures and Javadoc of what is at {@code cursor}, or an empty list. With
     * {@code full} false, Javadoc is cut after its first paragraph.
     */
    public List<String> documentation(String code, int cursor, boolean full) {
        return evaluator.withAnalysis(analysis -> {
            Located located = locate(analysis, code, cursor);
            int end = cursor;
            while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) {
                end++;
            }
            String text = located.text.substring(0, Math.min(located.text.length(), end - located.start));
            List<SourceCodeAnalysis.Documentation> docs = analysis.documentation(text, text.length(), true);
            if (docs.isEmpty()) {
                docs = analysis.documentation(text + "(", text.length() + 1, true);
            }
            List<String> result = new ArrayList<>();
            for (SourceCodeAnalysis.Documentation doc : docs) {
                String javadoc = doc.javadoc();
                if (javadoc != null && !full) {
                    int paragraph = javadoc.indexOf("\n\n");
                    javadoc = paragraph < 0 ? javadoc : javadoc.substring(0, paragraph);
                }
                result.add(javadoc == null || javadoc.isBlank() ? doc.signature() : doc.signature() + "\n" + javadoc.strip());
            }
            return result;
        });
    }

    /** Returns whether {@code code} can run as it is, needs more lines, or cannot be fixed by adding lines. */
    public Readiness isComplete(String code) {
        return evaluator.withAnalysis(analysis -> {
            List<CellSplitter.Piece> pieces = CellSplitter.split(analysis, code);
            if (pieces.isEmpty()) {
                return new Readiness("complete", "");
            }
            for (CellSplitter.Piece piece : pieces) {
                if (piece.completeness() == SourceCodeAnalysis.Completeness.UNKNOWN) {
                    return new Readiness("invalid", "");
                }
            }
            CellSplitter.Piece last = pieces.get(pieces.size() - 1);
            if (last.isComplete()) {
                return new Readiness("complete", "");
            }
            return new Readiness("incomplete", INDENT.repeat(Math.max(1, depth(last.source()))));
        });
    }

    private static int depth(String text) {
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{' || c == '(') {
                depth++;
            } else if ((c == '}' || c == ')') && depth > 0) {
                depth--;
            }
        }
        return depth;
    }

    /** The snippet around a cursor: its text up to the end of the cell and where it starts. */
    private record Located(String text, int start) {
    }

    private static Located locate(SourceCodeAnalysis analysis, String code, int cursor) {
        List<CellSplitter.Piece> pieces = CellSplitter.split(analysis, code.substring(0, cursor));
        if (pieces.isEmpty()) {
            return new Located(code, 0);
        }
        int start = pieces.get(pieces.size() - 1).start();
        return new Located(code.substring(start), start);
    }
}
