package dev.skiff.kernel.java;

/** Converts between the protocol's cursor positions, counted in Unicode code points, and UTF-16 indexes. */
final class Positions {
    private Positions() {
    }

    /** Returns the UTF-16 index of code point {@code position}, clamped to the text. */
    static int toIndex(String text, int position) {
        int codePoints = text.codePointCount(0, text.length());
        return text.offsetByCodePoints(0, Math.max(0, Math.min(position, codePoints)));
    }

    /** Returns the code point position of UTF-16 index {@code index}. */
    static int toCodePoints(String text, int index) {
        return text.codePointCount(0, Math.max(0, Math.min(index, text.length())));
    }
}
