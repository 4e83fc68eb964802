package dev.skiff.dsl.repl;

import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.impl.DefaultParser;

/**
 * Splits shell input into words for completion, as JLine's default parser does, and requests
 * another line while the input is incomplete Groovy (see {@link InputScanner}), so that a closure
 * or class can span several lines.
 */
final class GroovyInputParser extends DefaultParser {
    GroovyInputParser() {
        setEscapeChars(new char[0]);
        setQuoteChars(new char[0]);
    }

    @Override
    public ParsedLine parse(String line, int cursor, ParseContext context) {
        if (context == ParseContext.ACCEPT_LINE && !line.trim().startsWith(":")
                && InputScanner.scan(line).isIncomplete()) {
            throw new EOFError(-1, cursor, "incomplete Groovy input", null);
        }
        return super.parse(line, cursor, context);
    }
}
