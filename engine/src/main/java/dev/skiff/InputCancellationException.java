package dev.skiff;

/** Raised by {@link FunctionCall#get()} and {@code map} for an input that was cancelled. */
public class InputCancellationException extends SkiffException {
    public InputCancellationException(String message) {
        super(message);
    }
}
