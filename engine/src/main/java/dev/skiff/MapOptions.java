package dev.skiff;

/**
 * Result handling of {@code map} and {@code starmap}.
 *
 * @param orderOutputs true (the default) returns results in input order, false in completion order
 * @param returnExceptions false (the default) raises the first failure; true puts each input's
 *     exception in its result slot
 */
public record MapOptions(boolean orderOutputs, boolean returnExceptions) {
    public static MapOptions defaults() {
        return new MapOptions(true, false);
    }

    public MapOptions withOrderOutputs(boolean value) {
        return new MapOptions(value, returnExceptions);
    }

    public MapOptions withReturnExceptions(boolean value) {
        return new MapOptions(orderOutputs, value);
    }
}
