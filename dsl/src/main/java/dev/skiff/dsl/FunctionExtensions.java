package dev.skiff.dsl;

import dev.skiff.Function;
import dev.skiff.InvalidException;
import dev.skiff.MapOptions;
import java.util.List;
import java.util.Map;

/**
 * Methods that Groovy adds to {@link Function} (a Groovy extension module): {@code map} and
 * {@code starmap} with named options, as in {@code f.map(1..100, orderOutputs: false)}.
 */
public final class FunctionExtensions {
    private FunctionExtensions() {
    }

    /** Runs the function once per input with the named options {@code orderOutputs} and {@code returnExceptions}. */
    public static <T> List<T> map(Function<?> self, Map<String, ?> options, Iterable<?> inputs) {
        return self.map(inputs, mapOptions(options));
    }

    /** Runs the function once per argument list with the named options of {@link #map}. */
    public static <T> List<T> starmap(Function<?> self, Map<String, ?> options, Iterable<? extends List<?>> tuples) {
        return self.starmap(tuples, mapOptions(options));
    }

    private static MapOptions mapOptions(Map<String, ?> named) {
        MapOptions options = MapOptions.defaults();
        for (Map.Entry<String, ?> entry : named.entrySet()) {
            if (!(entry.getValue() instanceof Boolean value)) {
                throw new InvalidException("Invalid " + entry.getKey() + ": " + entry.getValue()
                        + "; expected true or false.");
            }
            options = switch (entry.getKey()) {
                case "orderOutputs" -> options.withOrderOutputs(value);
                case "returnExceptions" -> options.withReturnExceptions(value);
                default -> throw new InvalidException("Unknown map option '" + entry.getKey()
                        + "'; the options are orderOutputs, returnExceptions.");
            };
        }
        return options;
    }
}
