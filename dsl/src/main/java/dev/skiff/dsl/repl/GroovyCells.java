package dev.skiff.dsl.repl;

import dev.skiff.dsl.ScriptSession;
import java.net.MalformedURLException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.messages.ExceptionMessage;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SimpleMessage;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.runtime.FormatHelper;
import org.codehaus.groovy.syntax.SyntaxException;

/**
 * Runs notebook cells as Groovy with the Skiff DSL loaded, the way {@code skiff shell} runs its
 * inputs: cells share one binding and the imports they declare, {@code def x = …} and typed
 * declarations at the start of a top-level line persist, and functions defined in a cell ship
 * their compiled classes to workers. Cells run one at a time.
 */
public final class GroovyCells {
    /**
     * A compile error of a cell.
     *
     * @param line the 1-based line in the cell, or 0 when Groovy reported no position
     * @param column the 1-based column, or 0 when Groovy reported no position
     * @param message Groovy's message
     */
    public record CompileError(int line, int column, String message) {
    }

    private final ShellEvaluator evaluator;

    /** Creates cells on a {@linkplain ScriptSession#forNotebook() notebook session}, which uses the default engine. */
    public GroovyCells() {
        this(ScriptSession.forNotebook());
    }

    public GroovyCells(ScriptSession session) {
        this.evaluator = new ShellEvaluator(session);
    }

    /**
     * Compiles and runs one cell and returns the value of its last statement, or null.
     *
     * @throws CompilationFailedException when the cell does not compile, with the errors that
     *     {@link #compileErrors} lists
     */
    public synchronized Object evaluate(String code) {
        return evaluator.evaluate(code);
    }

    /**
     * Returns the file name that the last compiled cell's classes carry in stack frames, such as
     * {@code Shell3.groovy}, or null before the first cell.
     */
    public synchronized String sourceName() {
        return evaluator.sourceName();
    }

    /** Returns the binary names of every class compiled from the cells so far. */
    public Set<String> userClassNames() {
        return evaluator.session().loader().recordedClassNames();
    }

    /** Adds a jar or class folder to what later cells compile against and what workers load. */
    public void addToClasspath(Path entry) {
        try {
            evaluator.session().loader().addURL(entry.toUri().toURL());
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("Invalid classpath entry " + entry + ": " + e.getMessage(), e);
        }
    }

    public ScriptSession session() {
        return evaluator.session();
    }

    /** Returns the text the shell prints for a value after {@code ==>}, such as {@code [1, 4, 9]} for a list. */
    public static String format(Object value) {
        return FormatHelper.toString(value);
    }

    /** Returns whether {@code code} closes its brackets, triple-quoted strings and block comments. */
    public static boolean isComplete(String code) {
        return !InputScanner.scan(code).isIncomplete();
    }

    /** Returns the errors of a failed compilation with their positions in the cell, in Groovy's order. */
    public static List<CompileError> compileErrors(CompilationFailedException failure) {
        List<CompileError> errors = new ArrayList<>();
        if (failure instanceof MultipleCompilationErrorsException multiple
                && multiple.getErrorCollector().getErrors() != null) {
            for (Message message : multiple.getErrorCollector().getErrors()) {
                errors.add(compileError(message));
            }
        }
        if (errors.isEmpty()) {
            errors.add(new CompileError(0, 0, String.valueOf(failure.getMessage()).strip()));
        }
        return errors;
    }

    private static CompileError compileError(Message message) {
        if (message instanceof SyntaxErrorMessage syntax) {
            SyntaxException cause = syntax.getCause();
            return new CompileError(cause.getLine(), cause.getStartColumn(), cause.getOriginalMessage().strip());
        }
        if (message instanceof ExceptionMessage exception) {
            Exception cause = exception.getCause();
            return new CompileError(0, 0, cause.getMessage() == null ? cause.toString() : cause.getMessage().strip());
        }
        if (message instanceof SimpleMessage simple) {
            return new CompileError(0, 0, simple.getMessage().strip());
        }
        return new CompileError(0, 0, String.valueOf(message));
    }
}
