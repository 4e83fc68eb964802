package dev.skiff.kernel.jshell;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.VarSnippet;

/**
 * The temporary variables {@code $1}, {@code $2}, … that contain the values that cells showed: {@code $N}
 * is the value of the cell with execution count N. JShell declares a variable for each expression
 * that it runs as written, under a name from {@link #nextName()}. JShell compiles every snippet
 * against all active variables, so each variable kept makes later cells slower to compile. With
 * JDK 17 on a 2-core machine, a {@code 1+1} cell took about 20 ms longer after 300 such cells
 * ({@code bench/kernel-bench.py}). Cells therefore drop those variables when they finish, and this
 * class keeps the value that each cell showed and declares {@code $N} again, with its type and
 * value, before a later cell that names it. It is not thread-safe, and {@link Evaluator} calls it
 * only while it runs a cell, except for {@link #nextName()}, which JShell calls as it evaluates.
 */
public final class TemporaryVariables {
    /** A {@code $N} name that is not part of a longer identifier. */
    private static final Pattern NAME = Pattern.compile(
            "(?<![\\p{javaJavaIdentifierPart}])\\$\\d+(?![\\p{javaJavaIdentifierPart}])");
    private static final Map<String, Object> HANDOFF = new ConcurrentHashMap<>();
    private static final AtomicLong HANDOFF_KEYS = new AtomicLong();
    /** The start of the names of the variables that JShell declares for expressions. */
    private static final String TEMPORARY_PREFIX = "$skiffTemporary";

    /** A value that a cell showed, with its declared type and its expression, either of which may be null. */
    private record CellValue(String typeName, Object value, String expression) {
    }

    private final Map<String, CellValue> cellValues = new HashMap<>();
    private final List<VarSnippet> declaredInCell = new ArrayList<>();
    /** Names of every variable that JShell has seen, active or not, which its name generator must avoid. */
    private final Set<String> knownVariables = ConcurrentHashMap.newKeySet();
    private final AtomicLong lastNumber = new AtomicLong();
    private JShell shell;

    /** Sets the JShell whose variables these are, after JShell is built, since the build needs {@link #nextName()}. */
    void attach(JShell jshell) {
        this.shell = jshell;
    }

    /**
     * Returns a name that no variable has had, for the variable that JShell declares for an
     * expression. These names are not {@code $N}, which name the values of cells.
     */
    String nextName() {
        String name = TEMPORARY_PREFIX + lastNumber.incrementAndGet();
        while (knownVariables.contains(name)) {
            name = TEMPORARY_PREFIX + lastNumber.incrementAndGet();
        }
        return name;
    }

    /** Notes the name of the variable that the event's snippet declared, if any, for {@link #nextName()}. */
    void noteDeclared(SnippetEvent event) {
        if (event.snippet() instanceof VarSnippet variable) {
            knownVariables.add(variable.name());
        }
    }

    /**
     * Returns the value handed to a restoring declaration. Public because the snippet classes that
     * restore a variable call it; other code has no use for it.
     */
    public static Object handoff(String key) {
        return HANDOFF.get(key);
    }

    /** Records the variable that JShell declared for the event's expression, so that {@link #dropRecorded} drops it. */
    void record(SnippetEvent event) {
        if (event.snippet() instanceof VarSnippet variable
                && variable.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND
                && event.status() == Snippet.Status.VALID) {
            declaredInCell.add(variable);
        }
    }

    /**
     * Keeps {@code value}, which a cell showed, as the variable {@code name}. When a later cell
     * names it, it comes back with {@code typeName}, which JShell declared for it, or else with the
     * type that JShell's analysis then finds for {@code expression}. When neither is given or fits,
     * the type is taken from the value: the primitive type for a boxed primitive, the class when
     * source code can name it, else {@code Object}.
     */
    void keep(String name, Object value, String typeName, String expression) {
        cellValues.put(name, new CellValue(typeName, value, expression));
    }

    /** Drops the variables that JShell declared for the expressions of the cell. */
    void dropRecorded() {
        for (VarSnippet variable : declaredInCell) {
            if (shell.status(variable).isActive()) {
                shell.drop(variable);
            }
        }
        declaredInCell.clear();
    }

    /** Declares each kept value that {@code code} names as its variable, in order of first use. */
    void restoreNamedIn(String code) {
        if (cellValues.isEmpty() || code.indexOf('$') < 0) {
            return;
        }
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = NAME.matcher(code);
        while (matcher.find()) {
            if (cellValues.containsKey(matcher.group())) {
                names.add(matcher.group());
            }
        }
        for (String name : names) {
            CellValue cellValue = cellValues.remove(name);
            if (isVariable(name)) {
                continue;
            }
            for (String typeName : typeNames(cellValue)) {
                // A type that source cannot name (an anonymous class), or a snippet class since
                // redefined, fails, and the next type is tried. Object is the last.
                if (declare(typeName, name, cellValue.value())) {
                    break;
                }
            }
        }
    }

    private boolean isVariable(String name) {
        return shell.variables().anyMatch(v -> v.name().equals(name));
    }

    /** Returns the number of active temporary variables, for tests. */
    long activeCount() {
        return shell.variables().filter(v -> v.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND).count();
    }

    /** Returns the types to declare a restored variable with, best first. */
    private Set<String> typeNames(CellValue cellValue) {
        Set<String> typeNames = new LinkedHashSet<>();
        if (cellValue.typeName() != null) {
            typeNames.add(cellValue.typeName());
        }
        if (cellValue.expression() != null) {
            String expression = cellValue.expression();
            String analyzed = shell.sourceCodeAnalysis().analyzeType(expression, expression.length());
            if (analyzed != null && !analyzed.isBlank()) {
                typeNames.add(analyzed);
            }
        }
        typeNames.add(typeNameOf(cellValue.value()));
        typeNames.add("Object");
        return typeNames;
    }

    private static String typeNameOf(Object value) {
        if (value == null) {
            return "Object";
        }
        Class<?> type = value.getClass();
        Class<?> primitive = java.lang.invoke.MethodType.methodType(type).unwrap().returnType();
        if (primitive.isPrimitive()) {
            return primitive.getName();
        }

        Class<?> element = type;
        while (element.isArray()) {
            element = element.getComponentType();
        }
        String name = type.getCanonicalName();
        if (name == null) {
            return "Object";
        }

        // A class that a cell declared is nested in JShell's wrapper class, and cells name it without it.
        Class<?> outermost = element;
        while (outermost.getEnclosingClass() != null) {
            outermost = outermost.getEnclosingClass();
        }
        if (outermost != element && outermost.getName().startsWith("REPL.")) {
            return name.substring(outermost.getCanonicalName().length() + 1);
        }
        for (Class<?> c = element; c != null; c = c.getEnclosingClass()) {
            if (!java.lang.reflect.Modifier.isPublic(c.getModifiers())) {
                return "Object";
            }
        }
        return name;
    }

    private boolean declare(String typeName, String name, Object value) {
        String key = name + "#" + HANDOFF_KEYS.incrementAndGet();
        if (value != null) {
            HANDOFF.put(key, value);
        }
        try {
            String source = typeName + " " + name + " = (" + typeName + ") " + TemporaryVariables.class.getName()
                    + ".handoff(\"" + key + "\");";
            for (SnippetEvent event : shell.eval(source)) {
                noteDeclared(event);
                if (event.causeSnippet() == null) {
                    boolean ok = event.status() == Snippet.Status.VALID && event.exception() == null;
                    if (!ok && shell.status(event.snippet()).isActive()) {
                        shell.drop(event.snippet());
                    }
                    return ok;
                }
            }
            return false;
        } finally {
            HANDOFF.remove(key);
        }
    }
}
