package dev.skiff;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Named environment variables handed to a function's workers. Values never appear in
 * {@link #toString()} or in logs.
 */
public final class Secret implements Serializable {
    private final String name;
    private final Map<String, String> values;

    private Secret(String name, Map<String, String> values) {
        this.name = name;
        this.values = Map.copyOf(values);
    }

    /** Returns a secret made of the given variables. */
    public static Secret fromMap(String name, Map<String, String> values) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(values, "values");
        for (String key : values.keySet()) {
            if (key == null || key.isEmpty() || key.contains("=")) {
                throw new InvalidException("Invalid variable name \"" + key + "\" in secret \"" + name
                        + "\": it must be non-empty and contain no '='.");
            }
        }
        return new Secret(name, values);
    }

    /** Returns a secret copying the named variables from this process's environment; each must be set. */
    public static Secret fromLocalEnviron(String name, String... keys) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : keys) {
            String value = System.getenv(key);
            if (value == null) {
                throw new InvalidException("Secret \"" + name + "\": environment variable " + key
                        + " is not set in this process; set it or leave it out.");
            }
            values.put(key, value);
        }
        return new Secret(name, values);
    }

    /**
     * Returns the secret stored as the properties file {@code secrets/NAME.properties} under the
     * Skiff home ({@code SKIFF_HOME}, default {@code ~/.skiff}).
     */
    public static Secret fromName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}") || name.contains("..")) {
            throw new InvalidException("Invalid secret name " + (name == null ? "null" : "\"" + name + "\"")
                    + ": use 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit.");
        }
        Path file = SkiffHome.path().resolve("secrets").resolve(name + ".properties");
        if (!Files.isRegularFile(file)) {
            throw new NotFoundException("Secret \"" + name + "\" not found: expected the file " + file
                    + " with one KEY=VALUE line per variable.");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new SkiffException("Failed to read secret \"" + name + "\" from " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key)));
        return new Secret(name, values);
    }

    public String name() {
        return name;
    }

    /** Returns the variables; callers must not log the values. */
    public Map<String, String> values() {
        return values;
    }

    @Override
    public String toString() {
        return "Secret[" + name + ", keys=" + values.keySet() + "]";
    }
}
