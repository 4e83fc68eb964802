package dev.skiff.dsl.repl;

import dev.skiff.OutputSink;
import dev.skiff.SkiffHome;
import dev.skiff.dsl.ScriptSession;
import dev.skiff.dsl.cli.CompileErrors;
import dev.skiff.dsl.cli.ErrorReport;
import groovy.lang.GroovySystem;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.runtime.FormatHelper;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The interactive shell of {@code skiff shell}: a JLine line editor with history under the Skiff
 * home, tab completion and multi-line input, evaluating Groovy with the DSL loaded. Ctrl-C clears
 * the line at the prompt and interrupts the waiting call while an input runs; Ctrl-D or
 * {@code :quit} leaves and stops the workers.
 */
public final class Shell {
    static final List<String> COMMANDS = List.of(":help", ":quit", ":exit", ":trace");
    private static final String PROMPT = "skiff> ";
    private static final int DEFAULT_COLUMNS = 80;
    private static final int DEFAULT_ROWS = 24;
    private static final String CONTINUATION_PROMPT = "  ...> ";
    private static final String HELP = """
            Enter Groovy code; an input runs when its brackets, triple-quoted strings and comments are closed.
              def demo = app('demo')                      create an app
              def sq = demo.function('sq') { int x -> x * x }   define a function
              sq.remote(4); sq.map(1..10); sq.spawn(3).get()    call it in workers
            Variables persist across inputs: x = 1, def x = 1 and int x = 1 at the start of a line.
            Methods last one input. Imports persist.
            Commands:
              :help         show this text
              :trace        print every stack frame of the last error
              :quit, :exit  leave the shell and stop its workers (Ctrl-D does the same)
            Tab completes commands, variable names and, after a dot, the methods of a variable's value.""";

    private volatile Thread evaluating;
    private Throwable lastError;

    /** Runs the shell until the user quits; returns the exit status. */
    public int run() throws IOException {
        Path history = SkiffHome.path().resolve("shell_history");
        Files.createDirectories(history.getParent());
        try (Terminal terminal = TerminalBuilder.builder().name("skiff").system(true).dumb(true).build();
                ScriptSession session = ScriptSession.forShell()) {
            if (terminal.getWidth() <= 0) {
                // A pseudo-terminal whose size was never set reports 0 columns, and JLine cannot draw in 0 columns.
                terminal.setSize(new Size(DEFAULT_COLUMNS, Math.max(terminal.getHeight(), DEFAULT_ROWS)));
            }
            ShellEvaluator evaluator = new ShellEvaluator(session);
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("skiff")
                    .parser(new GroovyInputParser()).completer(new ShellCompleter(evaluator))
                    .variable(LineReader.HISTORY_FILE, history)
                    .variable(LineReader.SECONDARY_PROMPT_PATTERN, CONTINUATION_PROMPT)
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                    .option(LineReader.Option.INSERT_TAB, true)
                    .build();
            terminal.handle(Terminal.Signal.INT, signal -> {
                Thread running = evaluating;
                if (running != null) {
                    running.interrupt();
                }
            });
            OutputSink.setDefault(Shell::printWorkerOutput);
            PrintStream out = System.out;
            out.println("Skiff shell on Groovy " + GroovySystem.getVersion() + " and Java "
                    + System.getProperty("java.version") + ". Type :help for help, :quit to leave.");
            loop(reader, evaluator, out);
            reader.getHistory().save();
            out.println("Stopping workers.");
            out.flush();
        }
        return 0;
    }

    private void loop(LineReader reader, ShellEvaluator evaluator, PrintStream out) {
        while (true) {
            String input;
            try {
                input = reader.readLine(PROMPT);
            } catch (UserInterruptException e) {
                continue;
            } catch (EndOfFileException e) {
                return;
            }
            String trimmed = input.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.startsWith(":")) {
                if (!command(trimmed, out)) {
                    return;
                }
                continue;
            }
            evaluate(evaluator, input, out);
        }
    }

    /** Runs a shell command; returns false when the shell must end. */
    private boolean command(String command, PrintStream out) {
        switch (command) {
            case ":quit", ":exit", ":q" -> {
                return false;
            }
            case ":help", ":h" -> out.println(HELP);
            case ":trace" -> {
                if (lastError == null) {
                    out.println("No error yet.");
                } else {
                    lastError.printStackTrace(out);
                }
            }
            default -> out.println("Unknown command " + command + "; the commands are " + String.join(", ", COMMANDS)
                    + ".");
        }
        out.flush();
        return true;
    }

    private void evaluate(ShellEvaluator evaluator, String input, PrintStream out) {
        evaluating = Thread.currentThread();
        try {
            Object value = evaluator.evaluate(input);
            if (value != null) {
                out.println("==> " + FormatHelper.toString(value));
            }
        } catch (CompilationFailedException e) {
            CompileErrors.print(e, "input", out);
        } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
            lastError = e;
            new ErrorReport(evaluator.session().loader().recordedClassNames(), false, "type :trace").print(e, out);
        } finally {
            evaluating = null;
            Thread.interrupted();
            out.flush();
        }
    }

    private static void printWorkerOutput(String function, String input, boolean stderr, String text) {
        PrintStream stream = stderr ? System.err : System.out;
        stream.print(text.endsWith("\n") ? text : text + "\n");
        stream.flush();
    }
}
