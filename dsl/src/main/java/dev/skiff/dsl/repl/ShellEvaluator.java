package dev.skiff.dsl.repl;

import dev.skiff.dsl.ScriptSession;
import dev.skiff.dsl.SkiffBinding;
import groovy.lang.GroovyCodeSource;
import groovy.lang.Script;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.codehaus.groovy.control.customizers.ImportCustomizer;
import org.codehaus.groovy.runtime.InvokerHelper;

/**
 * Compiles and runs shell input. Each input becomes a script class of its own ({@code Shell1},
 * {@code Shell2}, …) compiled by the session's class loader, so functions defined at the prompt
 * ship their classes to workers. Inputs share one binding: variables assigned without a type
 * persist, and {@code def x = …} or {@code int x = …} at the start of a line is read as
 * {@code x = …} so that it persists too. Imports persist. Methods live for one input only.
 */
final class ShellEvaluator {
    private static final Pattern DEF_ASSIGNMENT = Pattern.compile("^(\\s*)def(\\s+)([A-Za-z_$][\\w$]*\\s*=(?!=))");
    /**
     * A typed declaration with a value: {@code int n = …}, {@code final String s = …}, {@code List<Integer> xs = …},
     * {@code var v = …}. Lower-case types are only the primitive ones and {@code var}, so that a command
     * such as {@code println x = 1} is left alone.
     */
    private static final Pattern TYPED_ASSIGNMENT = Pattern.compile("^(\\s*)((?:final\\s+)?(?:"
            + "(?:boolean|byte|char|short|int|long|float|double|var)"
            + "|(?:[a-z_][\\w$]*\\.)*[A-Z][\\w$]*(?:\\.[A-Z][\\w$]*)*(?:<[^=;]*>)?)(?:\\[\\])*)(\\s+)"
            + "([A-Za-z_$][\\w$]*\\s*=(?!=))");
    private static final Pattern IMPORT = Pattern.compile(
            "^\\s*import\\s+(static\\s+)?([\\w$]+(?:\\.[\\w$]+)*)(\\.\\*)?(?:\\s+as\\s+([\\w$]+))?\\s*;?\\s*$");

    private final ScriptSession session;
    private final SkiffBinding binding;
    private final ImportCustomizer imports = new ImportCustomizer();
    private int count;
    private String sourceName;

    ShellEvaluator(ScriptSession session) {
        this.session = session;
        this.binding = new SkiffBinding(session, new String[0]);
        session.loader().getConfiguration().addCompilationCustomizers(imports);
    }

    SkiffBinding binding() {
        return binding;
    }

    ScriptSession session() {
        return session;
    }

    /** Compiles and runs {@code input}, returning its value. Compile errors raise {@code CompilationFailedException}. */
    Object evaluate(String input) {
        String source = persistDefinitions(input);
        count++;
        sourceName = "Shell" + count + ".groovy";
        GroovyCodeSource code = new GroovyCodeSource(source, sourceName, "/groovy/shell");
        Class<?> type = session.loader().parseClass(code, false);
        recordImports(input);
        Script script = InvokerHelper.createScript(type, binding);
        return script.run();
    }

    /**
     * Returns the file name of the last input compiled, such as {@code Shell3.groovy}, which the
     * stack frames of its classes name, or null before the first input.
     */
    String sourceName() {
        return sourceName;
    }

    /**
     * Rewrites {@code def name = …} and typed declarations such as {@code int name = …} on top-level
     * lines as {@code name = …}, keeping every column in place. The declared type is not kept: the
     * variable keeps whatever value it is given.
     */
    static String persistDefinitions(String input) {
        String[] lines = input.split("\n", -1);
        boolean[] topLevel = InputScanner.scan(input).topLevelLines();
        List<String> result = new ArrayList<>(lines.length);
        for (int i = 0; i < lines.length; i++) {
            Matcher def = DEF_ASSIGNMENT.matcher(lines[i]);
            Matcher typed = TYPED_ASSIGNMENT.matcher(lines[i]);
            if (topLevel[i] && def.find()) {
                result.add(def.group(1) + "   " + def.group(2) + lines[i].substring(def.end(2)));
            } else if (topLevel[i] && typed.find()) {
                result.add(typed.group(1) + " ".repeat(typed.group(2).length()) + lines[i].substring(typed.end(2)));
            } else {
                result.add(lines[i]);
            }
        }
        return String.join("\n", result);
    }

    private void recordImports(String input) {
        for (String line : input.split("\n")) {
            Matcher matcher = IMPORT.matcher(line);
            if (!matcher.matches()) {
                continue;
            }
            boolean isStatic = matcher.group(1) != null;
            boolean star = matcher.group(3) != null;
            String name = matcher.group(2);
            String alias = matcher.group(4);
            if (isStatic && star) {
                imports.addStaticStars(name);
            } else if (isStatic) {
                int dot = name.lastIndexOf('.');
                if (alias == null) {
                    imports.addStaticImport(name.substring(0, dot), name.substring(dot + 1));
                } else {
                    imports.addStaticImport(alias, name.substring(0, dot), name.substring(dot + 1));
                }
            } else if (star) {
                imports.addStarImports(name);
            } else if (alias != null) {
                imports.addImport(alias, name);
            } else {
                imports.addImports(name);
            }
        }
    }
}
