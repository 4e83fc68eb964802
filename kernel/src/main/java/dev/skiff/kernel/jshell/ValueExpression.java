package dev.skiff.kernel.jshell;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Recognizes, from its tokens alone, a snippet that is an expression whose value can be stored
 * in an {@code Object} variable: one that cannot be a call of a {@code void} method, an
 * assignment, a lambda or a declaration. {@link Evaluator} runs such a snippet as
 * {@code Object NAME = EXPRESSION;}, which JShell compiles with two javac passes fewer than a bare
 * expression, whose type it works out first. The check errs towards "no": a snippet it accepts
 * that then fails to compile runs again as written, so JShell reports its own error.
 */
final class ValueExpression {
    private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends",
            "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int",
            "interface", "long", "native", "new", "package", "private", "protected", "public", "return",
            "short", "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws",
            "transient", "try", "void", "volatile", "while", "true", "false", "null");
    private static final Set<String> FIRST_KEYWORDS = Set.of("new", "true", "false", "null");
    /** Keywords that an expression may contain outside brackets. The next set may appear only after a dot. */
    private static final Set<String> EXPRESSION_KEYWORDS = Set.of("new", "true", "false", "null", "instanceof",
            "switch");
    private static final Set<String> AFTER_DOT_KEYWORDS = Set.of("class", "this", "super");
    private static final Set<String> PRIMITIVES = Set.of("boolean", "byte", "char", "short", "int", "long", "float",
            "double");
    private static final Set<String> ASSIGNMENTS = Set.of("=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
            "<<=", ">>=", ">>>=");
    private static final Set<String> OPERATORS = Set.of("+", "-", "*", "/", "%", "&", "|", "^", "!", "~", "?",
            ":", "<", ">", "<=", ">=", "==", "!=", "&&", "||", "<<", ">>", ">>>", "++", "--", "instanceof");
    /** Symbols of more than one character, longest first, so that the lexer takes {@code >>>=} before {@code >>}. */
    private static final List<String> PUNCTUATION = List.of(">>>=", "<<=", ">>=", ">>>", "...", "->", "::", "++",
            "--", "&&", "||", "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<", ">>");

    private enum Kind { WORD, LITERAL, SYMBOL }

    private record Token(Kind kind, String text, int end) {
        boolean is(String symbol) {
            return kind == Kind.SYMBOL && text.equals(symbol);
        }

        boolean isIdentifier() {
            return kind == Kind.WORD && !KEYWORDS.contains(text);
        }
    }

    private ValueExpression() {
    }

    /**
     * Returns the expression of {@code snippet} without its final semicolon and what follows it,
     * or null when the snippet is not an expression of that kind.
     */
    static String of(String snippet) {
        List<Token> tokens = tokens(snippet);
        if (tokens == null || tokens.isEmpty()) {
            return null;
        }
        if (tokens.get(tokens.size() - 1).is(";")) {
            tokens = tokens.subList(0, tokens.size() - 1);
        }
        if (tokens.isEmpty() || !acceptable(tokens)) {
            return null;
        }
        return snippet.substring(0, tokens.get(tokens.size() - 1).end());
    }

    private static boolean acceptable(List<Token> tokens) {
        Token first = tokens.get(0);
        if (first.kind() == Kind.WORD && KEYWORDS.contains(first.text()) && !FIRST_KEYWORDS.contains(first.text())) {
            return false;
        }
        if (first.is("{") || first.is("@") || first.is("<") || tokens.size() > 1 && tokens.get(1).is(":")) {
            return false;
        }

        int depth = 0;
        int typeArguments = 0;
        boolean newType = false;
        boolean operator = false;
        boolean lessThan = false;
        Token previous = null;
        for (Token token : tokens) {
            if (token.is("(") || token.is("[") || token.is("{")) {
                if (depth == 0 && token.is("(") && previous != null && previous.is(")")) {
                    operator = true; // a cast of a parenthesized expression
                }
                newType = false;
                depth++;
            } else if (token.is(")") || token.is("]") || token.is("}")) {
                depth--;
                if (depth < 0) {
                    return false;
                }
            } else if (depth == 0) {
                // Statements, lambdas, method references and assignments.
                if (token.is(";") || token.is("->") || token.is("::") || token.kind() == Kind.SYMBOL
                        && ASSIGNMENTS.contains(token.text())) {
                    return false;
                }

                // Keywords that only statements and declarations contain.
                if (token.kind() == Kind.WORD && KEYWORDS.contains(token.text())
                        && !EXPRESSION_KEYWORDS.contains(token.text())
                        && !(AFTER_DOT_KEYWORDS.contains(token.text()) && previous != null && previous.is("."))
                        && !(PRIMITIVES.contains(token.text()) && previous != null && previous.text().equals("new"))) {
                    return false;
                }

                // Two names in a row, as in a declaration such as String s or List<String> names.
                if (token.isIdentifier() && previous != null && (previous.isIdentifier() || previous.is("]")
                        || previous.kind() == Kind.LITERAL || previous.is(">") && lessThan)) {
                    return false;
                }

                // Type arguments follow a dot, as in List.<String>of(), or the type after new.
                if (token.is("<") && (newType || previous != null && previous.is("."))) {
                    typeArguments++;
                } else if (typeArguments > 0 && (token.is(">") || token.is(">>") || token.is(">>>"))) {
                    typeArguments = Math.max(0, typeArguments - token.text().length());
                } else if (typeArguments == 0) {
                    lessThan |= token.is("<");
                    boolean cast = previous != null && previous.is(")") && token.kind() != Kind.SYMBOL;
                    operator |= token.kind() == Kind.SYMBOL && OPERATORS.contains(token.text())
                            || token.text().equals("instanceof") || cast;
                }
            }
            if (depth == 0 && token.kind() == Kind.WORD && token.text().equals("new")) {
                newType = true;
            }
            previous = token;
        }
        if (depth != 0) {
            return false;
        }
        return operator || !endsWithMethodCall(tokens);
    }

    /**
     * Returns whether a primary expression, one without operators, ends with a method call, which
     * may be {@code void}. A constructor call ({@code new Name<...>(...)}) cannot be.
     */
    private static boolean endsWithMethodCall(List<Token> tokens) {
        int i = tokens.size() - 1;
        if (!tokens.get(i).is(")")) {
            return false;
        }
        int depth = 0;
        for (; i >= 0; i--) {
            Token token = tokens.get(i);
            if (token.is(")") || token.is("]") || token.is("}")) {
                depth++;
            } else if (token.is("(") || token.is("[") || token.is("{")) {
                depth--;
                if (depth == 0) {
                    break;
                }
            }
        }
        if (i <= 0) {
            return false;
        }
        Token before = tokens.get(i - 1);
        if (!before.isIdentifier() && !before.is(">") && !before.is(">>") && !before.is(">>>")) {
            // this(...) or super(...) is a call. Otherwise the parentheses follow a cast or other parentheses.
            return before.kind() == Kind.WORD;
        }
        // Walks back over a qualified type name with type arguments, looking for `new`.
        int angle = 0;
        for (int j = i - 1; j >= 0; j--) {
            Token token = tokens.get(j);
            if (token.is(">")) {
                angle++;
            } else if (token.is(">>") || token.is(">>>")) {
                angle += token.text().length();
            } else if (token.is("<")) {
                angle--;
            } else if (token.kind() == Kind.WORD && token.text().equals("new")) {
                return angle != 0;
            } else if (angle == 0 && !token.isIdentifier() && !token.is(".")) {
                return true;
            }
        }
        return true;
    }

    /**
     * Splits Java source into tokens, skipping white space and comments. Returns null when a literal
     * or comment is unfinished.
     */
    private static List<Token> tokens(String source) {
        List<Token> tokens = new ArrayList<>();
        int length = source.length();
        int i = skipBlank(source, 0);
        while (i < length) {
            char c = source.charAt(i);
            if (source.startsWith("/*", i)) {
                return null; // a comment without its end, which skipBlank stopped at
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                while (end > 0 && escaped(source, end)) {
                    end = source.indexOf("\"\"\"", end + 1);
                }
                if (end < 0) {
                    return null;
                }
                i = end + 3;
                tokens.add(new Token(Kind.LITERAL, "\"\"\"", i));
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < length && source.charAt(end) != c) {
                    if (source.charAt(end) == '\n') {
                        return null;
                    }
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                if (end >= length) {
                    return null;
                }
                i = end + 1;
                tokens.add(new Token(Kind.LITERAL, String.valueOf(c), i));
            } else if (Character.isJavaIdentifierStart(c)) {
                int end = i + 1;
                while (end < length && Character.isJavaIdentifierPart(source.charAt(end))) {
                    end++;
                }
                tokens.add(new Token(Kind.WORD, source.substring(i, end), end));
                i = end;
            } else if (Character.isDigit(c) || c == '.' && i + 1 < length && Character.isDigit(source.charAt(i + 1))) {
                int end = i + 1;
                while (end < length && (Character.isLetterOrDigit(source.charAt(end)) || source.charAt(end) == '_'
                        || source.charAt(end) == '.'
                        || (source.charAt(end) == '+' || source.charAt(end) == '-')
                                && "eEpP".indexOf(source.charAt(end - 1)) >= 0 && !hex(source, i, end))) {
                    end++;
                }
                tokens.add(new Token(Kind.LITERAL, source.substring(i, end), end));
                i = end;
            } else {
                String symbol = String.valueOf(c);
                for (String candidate : PUNCTUATION) {
                    if (source.startsWith(candidate, i)) {
                        symbol = candidate;
                        break;
                    }
                }
                i += symbol.length();
                tokens.add(new Token(Kind.SYMBOL, symbol, i));
            }
            i = skipBlank(source, i);
        }
        return tokens;
    }

    /**
     * Returns the offset of the first character at or after {@code from} that is neither white
     * space nor in a comment, the length of {@code source} when there is none, or the start of a
     * block comment that does not end.
     */
    static int skipBlank(String source, int from) {
        int i = from;
        while (i < source.length()) {
            if (Character.isWhitespace(source.charAt(i))) {
                i++;
            } else if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = end < 0 ? source.length() : end + 1;
            } else if (source.startsWith("/*", i) && source.indexOf("*/", i + 2) >= 0) {
                i = source.indexOf("*/", i + 2) + 2;
            } else {
                return i;
            }
        }
        return i;
    }

    /** Returns whether the quote at {@code index} follows an odd number of backslashes. */
    private static boolean escaped(String source, int index) {
        int backslashes = 0;
        for (int i = index - 1; i >= 0 && source.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    /** Returns whether the number from {@code start} is hexadecimal, where {@code e} is a digit, not an exponent. */
    private static boolean hex(String source, int start, int end) {
        String prefix = source.substring(start, Math.min(end, start + 2));
        return prefix.equalsIgnoreCase("0x") && "pP".indexOf(source.charAt(end - 1)) < 0;
    }
}
