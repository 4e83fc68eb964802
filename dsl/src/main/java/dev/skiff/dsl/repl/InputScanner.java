package dev.skiff.dsl.repl;

/**
 * Scans Groovy source for the shell: whether an input is complete or needs more lines, and which
 * lines start outside any bracket, string or comment. It handles single, double and triple quoted
 * strings, line and block comments, and the three kinds of brackets; slashy strings count as code.
 */
final class InputScanner {
    private int depth;
    private boolean inBlockComment;
    private String openString;
    private boolean continuedLine;
    private boolean[] topLevelLines = new boolean[0];

    private InputScanner() {
    }

    /** Scans {@code text} and returns the result. */
    static InputScanner scan(String text) {
        InputScanner scanner = new InputScanner();
        scanner.run(text);
        return scanner;
    }

    /** Returns true when brackets, a triple-quoted string or a block comment are still open, or the last line ends with a backslash. */
    boolean isIncomplete() {
        return depth > 0 || inBlockComment || (openString != null && openString.length() == 3) || continuedLine;
    }

    /** Returns, for each line, whether it starts outside brackets, strings and comments. */
    boolean[] topLevelLines() {
        return topLevelLines.clone();
    }

    private void run(String text) {
        String[] lines = text.split("\n", -1);
        topLevelLines = new boolean[lines.length];
        for (int n = 0; n < lines.length; n++) {
            topLevelLines[n] = depth == 0 && !inBlockComment && openString == null;
            scanLine(lines[n]);
            // A single-quoted string cannot span lines; the compiler reports it.
            if (openString != null && openString.length() == 1) {
                openString = null;
            }
        }
    }

    private void scanLine(String line) {
        continuedLine = line.endsWith("\\") && openString == null;
        int i = 0;
        while (i < line.length()) {
            if (inBlockComment) {
                int end = line.indexOf("*/", i);
                if (end < 0) {
                    return;
                }
                inBlockComment = false;
                i = end + 2;
                continue;
            }
            if (openString != null) {
                if (line.charAt(i) == '\\') {
                    i += 2;
                    continue;
                }
                if (line.startsWith(openString, i)) {
                    i += openString.length();
                    openString = null;
                    continue;
                }
                i++;
                continue;
            }
            char c = line.charAt(i);
            if (line.startsWith("//", i)) {
                return;
            }
            if (line.startsWith("/*", i)) {
                inBlockComment = true;
                i += 2;
                continue;
            }
            if (c == '\'' || c == '"') {
                String triple = String.valueOf(c).repeat(3);
                openString = line.startsWith(triple, i) ? triple : String.valueOf(c);
                i += openString.length();
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
                depth--;
            }
            i++;
        }
    }
}
