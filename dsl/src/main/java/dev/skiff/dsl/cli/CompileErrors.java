package dev.skiff.dsl.cli;

import java.io.PrintStream;
import java.util.List;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.messages.ExceptionMessage;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SimpleMessage;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.syntax.SyntaxException;

/** Prints Groovy compile errors as {@code file:line:column: message}, one line each, with Groovy's own messages. */
public final class CompileErrors {
    private CompileErrors() {
    }

    /** Prints the errors of {@code failure}, naming the source {@code file} as the user gave it. */
    public static void print(CompilationFailedException failure, String file, PrintStream out) {
        if (!(failure instanceof MultipleCompilationErrorsException multiple)) {
            out.println(file + ": " + failure.getMessage());
            out.flush();
            return;
        }
        List<? extends Message> errors = multiple.getErrorCollector().getErrors();
        if (errors == null || errors.isEmpty()) {
            out.println(file + ": " + failure.getMessage());
        } else {
            for (Message message : errors) {
                out.println(format(message, file));
            }
        }
        out.flush();
    }

    private static String format(Message message, String file) {
        if (message instanceof SyntaxErrorMessage syntax) {
            SyntaxException cause = syntax.getCause();
            return file + ":" + cause.getLine() + ":" + cause.getStartColumn() + ": " + cause.getOriginalMessage().strip();
        }
        if (message instanceof ExceptionMessage exception) {
            Exception cause = exception.getCause();
            return file + ": " + (cause.getMessage() == null ? cause.toString() : cause.getMessage().strip());
        }
        if (message instanceof SimpleMessage simple) {
            return file + ": " + simple.getMessage().strip();
        }
        return file + ": " + message;
    }
}
