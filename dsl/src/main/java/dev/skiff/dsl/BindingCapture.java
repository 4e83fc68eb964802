package dev.skiff.dsl;

import groovy.lang.Binding;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The script variables (binding entries) that a closure may read, with their current values. A
 * closure reads a binding variable through a dynamic property access that names it, so the
 * candidates are the binding names among the {@linkplain ScriptReferences names its code uses}.
 * A variable whose name the code uses for something else is copied too, which costs only the
 * copy. Values that cannot be serialized are skipped.
 *
 * @param values the captured variables, name to value
 * @param skipped names that the closure may read whose values cannot be serialized
 */
record BindingCapture(Map<String, Object> values, Set<String> skipped) {

    /**
     * Captures the variables of {@code binding} that the closure class may read, directly or through
     * methods of {@code scriptClass} that it calls.
     */
    static BindingCapture of(String closureClass, String scriptClass, Map<String, byte[]> classes, Binding binding) {
        Map<?, ?> variables = binding.getVariables();
        if (variables.isEmpty()) {
            return new BindingCapture(Map.of(), Set.of());
        }
        Set<String> constants = ScriptReferences.of(closureClass, scriptClass, classes);
        Map<String, Object> values = new LinkedHashMap<>();
        Set<String> skipped = new TreeSet<>();
        for (Map.Entry<?, ?> entry : variables.entrySet()) {
            if (!(entry.getKey() instanceof String name) || !constants.contains(name)) {
                continue;
            }
            if (isSerializable(entry.getValue())) {
                values.put(name, entry.getValue());
            } else {
                skipped.add(name);
            }
        }
        return new BindingCapture(values, skipped);
    }

    private static boolean isSerializable(Object value) {
        if (value == null) {
            return true;
        }
        try (ObjectOutputStream out = new ObjectOutputStream(OutputStream.nullOutputStream())) {
            out.writeObject(value);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
