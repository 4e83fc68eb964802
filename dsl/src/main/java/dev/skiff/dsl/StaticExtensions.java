package dev.skiff.dsl;

import dev.skiff.Retries;
import dev.skiff.Sandbox;
import dev.skiff.SandboxOptions;
import dev.skiff.Secret;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Static methods that Groovy adds to engine classes (a Groovy extension module, registered in
 * {@code META-INF/groovy}), so that scripts can use named arguments:
 * {@code Retries.of(maxRetries: 3, initialDelay: 0.5)}, {@code Secret.fromMap('api', TOKEN: 'x')} and
 * {@code Sandbox.create(timeout: 600)}.
 */
public final class StaticExtensions {
    private StaticExtensions() {
    }

    /** Returns a retry policy from named arguments; see {@link NamedOptions#retries(Map)}. */
    public static Retries of(Retries selfType, Map<String, ?> named) {
        return NamedOptions.retries(named);
    }

    /**
     * Creates a sandbox from named arguments, such as {@code Sandbox.create(image: img, timeout: 600)},
     * optionally followed by its command; see {@link NamedOptions#sandboxOptions(Map)}.
     */
    public static Sandbox create(Sandbox selfType, Map<String, ?> named, String... command) {
        SandboxOptions options = NamedOptions.sandboxOptions(named);
        return Sandbox.create(command.length == 0 ? options : options.command(command));
    }

    /** Returns a secret made of the named arguments, each a variable name and its value. */
    public static Secret fromMap(Secret selfType, Map<?, ?> values, String name) {
        Map<String, String> variables = new LinkedHashMap<>();
        values.forEach((key, value) -> variables.put(String.valueOf(key), value == null ? null : String.valueOf(value)));
        return Secret.fromMap(name, variables);
    }
}
