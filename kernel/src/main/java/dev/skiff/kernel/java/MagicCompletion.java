package dev.skiff.kernel.java;

import dev.skiff.kernel.jshell.CodeAssist;
import java.util.ArrayList;
import java.util.List;

/** Completes magic names on a line that starts with {@code %}. */
final class MagicCompletion {
    private static final List<String> NAMES = List.of("%classpath", "%lsmagic", "%maven", "%%groovy", "%%time");

    private MagicCompletion() {
    }

    /** Returns the magic names matching the word at {@code cursor}, or null when the line is no magic. */
    static CodeAssist.Completion complete(String code, int cursor) {
        int lineStart = code.lastIndexOf('\n', cursor - 1) + 1;
        String before = code.substring(lineStart, cursor);
        String word = before.stripLeading();
        if (!word.startsWith("%") || word.contains(" ")) {
            return null;
        }
        List<String> matches = new ArrayList<>();
        for (String name : NAMES) {
            if (name.startsWith(word)) {
                matches.add(name);
            }
        }
        return new CodeAssist.Completion(matches, cursor - word.length(), cursor);
    }
}
