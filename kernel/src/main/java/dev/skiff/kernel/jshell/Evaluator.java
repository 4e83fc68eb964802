package dev.skiff.kernel.jshell;

import java.io.File;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import jdk.jshell.ImportSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;

/**
 * Runs cells on an in-process JShell. A cell may hold several snippets, split where JShell's
 * analysis finds each one complete; they run in order and the first failure stops the cell. The
 * value of a final expression is returned for display. Cells run one at a time: every method but
 * {@link #interrupt()} is synchronized.
 */
public final class Evaluator implements AutoCloseable {
    private final SnippetClasses classes = new SnippetClasses();
    private final Map<String, ErrorFormatter.Location> locations = new ConcurrentHashMap<>();
    private final ErrorFormatter errors = new ErrorFormatter(locations);
    private final CellExecutionControl control;
    private final JShell shell;
    /** The variable that receives the value of an expression run as a declaration. It is dropped at once. */
    private static final String VALUE_VARIABLE = "$skiffValue";
    private final TemporaryVariables temporaries = new TemporaryVariables();
    private volatile Function<String, List<String>> packageImportFollowUp = packageName -> List.of();
    private volatile boolean interrupted;
    /** The declared type of the value that the running cell shows, when JShell gave one. */
    private String shownType;
    /** The expression whose value the running cell shows, when it ran as an Object declaration. */
    private String shownExpression;
    /** Set once a cell declares a variable named {@link #VALUE_VARIABLE}, which the kernel then leaves alone. */
    private boolean userValueVariable;

    private Evaluator(PrintStream diagnostics) {
        String classpath = System.getProperty("java.class.path", "");
        Set<String> jvmClasspath = new HashSet<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                jvmClasspath.add(Path.of(entry).toAbsolutePath().normalize().toString());
            }
        }
        SnippetLoaderDelegate delegate = new SnippetLoaderDelegate(classes, Evaluator.class.getClassLoader(),
                jvmClasspath);
        control = new CellExecutionControl(delegate);
        shell = JShell.builder()
                .executionEngine(new CellExecutionProvider(control), Map.of())
                .tempVariableNameGenerator(temporaries::nextName)
                .out(diagnostics)
                .err(diagnostics)
                .build();
        shell.addToClasspath(classpath);
        temporaries.attach(shell);
    }

    /** Starts JShell with this JVM's classpath visible to cells; {@code diagnostics} receives JShell's own messages. */
    public static Evaluator start(PrintStream diagnostics) {
        return new Evaluator(diagnostics);
    }

    /**
     * Sets the function that returns the imports to run after a cell imports a package on demand,
     * given the package's name, such as single-type imports that keep startup types' names.
     */
    public void onPackageImport(Function<String, List<String>> followUp) {
        packageImportFollowUp = followUp;
    }

    /** Returns the classes that cells defined and the classpath entries they added. */
    public SnippetClasses classes() {
        return classes;
    }

    /**
     * Runs a cell without keeping its value. {@code cellLabel}, such as {@code [3]}, names the cell in
     * error messages. Returns the value of the last snippet when it is an expression or a variable name.
     */
    public CellResult run(String code, String cellLabel) {
        return run(code, cellLabel, null);
    }

    /**
     * Runs a cell as {@link #run(String, String)} does, and keeps the value that it returns, if any,
     * as the temporary variable {@code valueName}, such as {@code $3} for the cell with execution
     * count 3; null keeps nothing. The temporary variables of the cell's expressions are dropped
     * when it ends, and a kept value is declared again when a later cell names it, as
     * {@link TemporaryVariables} describes.
     */
    public synchronized CellResult run(String code, String cellLabel, String valueName) {
        shownType = null;
        shownExpression = null;
        try {
            temporaries.restoreNamedIn(code);
            CellResult result = runSnippets(code, cellLabel);
            if (valueName != null && result.isOk() && result.hasValue()) {
                temporaries.keep(valueName, result.value(), shownType, shownExpression);
            }
            return result;
        } finally {
            temporaries.dropRecorded();
        }
    }

    private CellResult runSnippets(String code, String cellLabel) {
        interrupted = false;
        control.clearStop();
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        List<CellSplitter.Piece> pieces = CellSplitter.split(analysis, code);
        CellResult result = CellResult.ok();
        for (int i = 0; i < pieces.size(); i++) {
            CellSplitter.Piece piece = pieces.get(i);
            if (interrupted) {
                return CellResult.interrupted();
            }
            if (!piece.isComplete() && piece.completeness() != SourceCodeAnalysis.Completeness.UNKNOWN) {
                int line = ErrorFormatter.lineOf(code, code.length());
                String message = "line " + line + ": the cell ends inside an unfinished statement or block;"
                        + " add the missing ';', ')' or '}'";
                return CellResult.error("CompilationError", message, List.of("cell " + cellLabel + ", " + message));
            }
            SnippetEvent event = evalAsValue(piece.source());
            boolean asValue = event != null;
            if (event == null && !interrupted) {
                event = evalFirst(piece.source(), false);
            }
            if (interrupted) {
                return CellResult.interrupted();
            }
            if (event == null) {
                continue;
            }
            Snippet snippet = event.snippet();
            temporaries.record(event);
            // JShell numbers a snippet's lines from its first line of code.
            locations.put(snippet.id(), new ErrorFormatter.Location(cellLabel,
                    ErrorFormatter.lineOf(code, piece.start() + codeStart(piece.source()))));
            if (event.status() == Snippet.Status.REJECTED) {
                return errors.compileError(cellLabel, code, piece.start(), piece.source(),
                        shell.diagnostics(snippet).toList());
            }
            if (event.exception() != null) {
                return errors.runtimeError(event.exception(), unresolvedDetail(snippet, event));
            }
            if (snippet instanceof ImportSnippet imported) {
                runImportFollowUp(imported);
            }
            boolean last = i == pieces.size() - 1;
            if (last && (asValue || showsValue(snippet))) {
                result = CellResult.value(control.lastValue(), event.value());
                shownExpression = asValue ? ValueExpression.of(piece.source()) : null;
                shownType = asValue ? null : declaredType(snippet);
            }
        }
        return result;
    }

    /**
     * Runs a snippet that {@link ValueExpression} accepts as {@code Object $skiffValue = EXPRESSION;}
     * and drops that variable again. JShell
     * runs two extra javac passes on a bare expression to work out its type, which made a
     * {@code 1+1} cell take about twice as long. Returns the event, or null when the snippet is of
     * another kind or did not compile this way, and must run as written.
     */
    private SnippetEvent evalAsValue(String source) {
        String expression = ValueExpression.of(source);
        if (expression == null || userValueVariable) {
            return null;
        }
        SnippetEvent event = evalFirst("Object " + VALUE_VARIABLE + " = " + expression + "\n;", true);
        if (event == null) {
            return null;
        }
        if (shell.status(event.snippet()).isActive()) {
            shell.drop(event.snippet());
        }
        if (event.status() != Snippet.Status.VALID) {
            return null;
        }
        return event;
    }

    /**
     * Evaluates a snippet and returns the event of the snippet itself, not of the snippets it
     * updated. {@code asValue} is true for the kernel's own value declaration, false for cell code.
     */
    private SnippetEvent evalFirst(String source, boolean asValue) {
        SnippetEvent first = null;
        for (SnippetEvent event : shell.eval(source)) {
            temporaries.noteDeclared(event);
            if (!asValue && event.snippet() instanceof jdk.jshell.VarSnippet variable
                    && variable.name().equals(VALUE_VARIABLE)) {
                userValueVariable = true;
            }
            if (first == null && event.causeSnippet() == null) {
                first = event;
            }
        }
        return first;
    }

    /**
     * Evaluates one expression, as for {@code user_expressions}, without keeping a variable for it.
     * Returns its value, or the error.
     */
    public synchronized CellResult evaluateExpression(String expression, String label) {
        int before = (int) shell.snippets().count();
        CellResult result;
        try {
            temporaries.restoreNamedIn(expression);
            result = runSnippets(expression, label);
        } finally {
            temporaries.dropRecorded();
        }
        shell.snippets().skip(before)
                .filter(s -> s.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND)
                .filter(s -> shell.status(s).isActive())
                .toList()
                .forEach(shell::drop);
        return result;
    }

    /** Returns the number of temporary variables that JShell keeps active, for tests. */
    synchronized long activeTemporaryCount() {
        return temporaries.activeCount();
    }

    /**
     * Stops the running cell, if any, and the rest of its snippets; safe to call from any thread.
     * The cell then returns an interrupted result.
     */
    public void interrupt() {
        interrupted = true;
        shell.stop();
    }

    /** Returns whether cell code is running now. */
    public boolean isRunning() {
        return control.isRunning();
    }

    /** Adds jars or class folders to what cells compile against and load from. */
    public synchronized void addToClasspath(String entry) {
        shell.addToClasspath(entry);
    }

    /** Runs {@code action} with this JShell's analysis while no cell runs. */
    public synchronized <T> T withAnalysis(java.util.function.Function<SourceCodeAnalysis, T> action) {
        return action.apply(shell.sourceCodeAnalysis());
    }

    @Override
    public synchronized void close() {
        shell.close();
    }

    /**
     * Runs the follow-up imports of a type import on demand. NOTE: a static import on demand can
     * bring member types too, and gets no follow-up.
     */
    private void runImportFollowUp(ImportSnippet imported) {
        String name = imported.fullname();
        if (imported.subKind() != Snippet.SubKind.TYPE_IMPORT_ON_DEMAND_SUBKIND || !name.endsWith(".*")) {
            return;
        }
        for (String line : packageImportFollowUp.apply(name.substring(0, name.length() - 2))) {
            shell.eval(line);
        }
    }

    /** Returns the offset of the first character of {@code source} that is neither white space nor in a comment. */
    private static int codeStart(String source) {
        int start = ValueExpression.skipBlank(source, 0);
        return start < source.length() ? start : 0;
    }

    /** Returns the type that JShell declared for the value of an expression snippet, or null. */
    private static String declaredType(Snippet snippet) {
        if (snippet instanceof jdk.jshell.VarSnippet variable) {
            return variable.typeName();
        }
        return snippet instanceof jdk.jshell.ExpressionSnippet expression ? expression.typeName() : null;
    }

    private static boolean showsValue(Snippet snippet) {
        return snippet.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND
                || snippet.subKind() == Snippet.SubKind.VAR_VALUE_SUBKIND;
    }

    private String unresolvedDetail(Snippet snippet, SnippetEvent event) {
        if (!(event.exception() instanceof jdk.jshell.UnresolvedReferenceException unresolved)) {
            return "";
        }
        Snippet culprit = unresolved.getSnippet();
        String missing = shell.unresolvedDependencies((jdk.jshell.DeclarationSnippet) culprit)
                .collect(Collectors.joining(", "));
        return describe(culprit) + " cannot be used until " + (missing.isEmpty() ? "its references are" : missing)
                + " declared";
    }

    private static String describe(Snippet snippet) {
        if (snippet instanceof jdk.jshell.MethodSnippet method) {
            return "method " + method.name() + "(" + method.parameterTypes() + ")";
        }
        if (snippet instanceof jdk.jshell.DeclarationSnippet declaration) {
            return declaration.kind().toString().toLowerCase(java.util.Locale.ROOT) + " " + declaration.name();
        }
        return "snippet " + snippet.id();
    }
}
