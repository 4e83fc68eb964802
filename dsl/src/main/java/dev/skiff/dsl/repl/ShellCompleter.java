package dev.skiff.dsl.repl;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion for the shell: shell commands after {@code :}, variable names and DSL methods,
 * and after {@code name.} the public methods of that variable's value, or the static methods of
 * a class the DSL imports.
 */
final class ShellCompleter implements Completer {
    private static final Pattern TRAILING_NAME = Pattern.compile("([A-Za-z_$][\\w$]*)(?:\\.([A-Za-z_$][\\w$]*)?)?$");
    private static final List<String> DSL_WORDS = List.of("app", "localEntrypoint", "println", "Retries", "Secret",
            "FunctionCall", "MapOptions");
    private static final Map<String, Class<?>> STATIC_TYPES = Map.of("Retries", dev.skiff.Retries.class,
            "Secret", dev.skiff.Secret.class, "FunctionCall", dev.skiff.FunctionCall.class,
            "MapOptions", dev.skiff.MapOptions.class);

    private final ShellEvaluator evaluator;

    ShellCompleter(ShellEvaluator evaluator) {
        this.evaluator = evaluator;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        String word = line.word().substring(0, Math.min(line.wordCursor(), line.word().length()));
        if (line.wordIndex() == 0 && word.startsWith(":")) {
            for (String command : Shell.COMMANDS) {
                candidates.add(new Candidate(command, command, null, null, null, null, true));
            }
            return;
        }
        Matcher matcher = TRAILING_NAME.matcher(word);
        if (!matcher.find()) {
            return;
        }
        String head = word.substring(0, matcher.start());
        boolean member = word.substring(matcher.start()).contains(".");
        if (member) {
            String target = matcher.group(1);
            String prefix = head + target + ".";
            for (String name : members(target)) {
                candidates.add(new Candidate(prefix + name, name, null, null, null, null, false));
            }
            return;
        }
        Set<String> names = new TreeSet<>(DSL_WORDS);
        for (Object key : evaluator.binding().getVariables().keySet()) {
            names.add(String.valueOf(key));
        }
        for (String name : names) {
            candidates.add(new Candidate(head + name, name, null, null, null, null, true));
        }
    }

    private Set<String> members(String target) {
        Set<String> names = new TreeSet<>();
        Object value = evaluator.binding().hasVariable(target) ? evaluator.binding().getVariable(target) : null;
        Class<?> type = value != null ? value.getClass() : STATIC_TYPES.get(target);
        if (type == null) {
            return names;
        }
        boolean statics = value == null;
        for (Method method : type.getMethods()) {
            if (method.getDeclaringClass() == Object.class || method.isSynthetic()
                    || Modifier.isStatic(method.getModifiers()) != statics) {
                continue;
            }
            names.add(method.getName());
        }
        return names;
    }
}
