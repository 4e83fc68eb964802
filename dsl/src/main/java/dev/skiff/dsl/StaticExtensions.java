package dev.skiff.dsl;

import dev.skiff.Retries;
import dev.skiff.Secret;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Static methods that Groovy adds to engine classes (a Groovy extension module, registered in
 * {@code META-INF/groovy}), so that scripts can use named arguments:
 * {@code Retries.of(maxRetries: 3, initialDelay: 0.5)} and {@code Secret.fromMap('api', TOKEN: 'x')}.
 */
public final class StaticExtensions {
    private StaticExtensions() {
    }

    /** Returns a retry policy from named arguments; see {@link NamedOptions#retries(Map)}. */
    public static Retries of(Retries selfType, Map<String, ?> named) {
        return NamedOptions.retries(named);
    }

    /** Returns a secret made of the named arguments, each a variable name and its value. */
    public static Secret fromMap(Secret selfType, Map<?, ?> values, String name) {
        Map<String, String> variables = new LinkedHashMap<>();
        values.forEach((key, value) -> variables.put(String.valueOf(key), value == null ? null : String.valueOf(value)));
        return Secret.fromMap(name, variables);
    }
}
