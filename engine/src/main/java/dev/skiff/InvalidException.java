package dev.skiff;

/** An argument, option or value that Skiff rejects before running anything. */
public class InvalidException extends SkiffException {
    public InvalidException(String message) {
        super(message);
    }

    public InvalidException(String message, Throwable cause) {
        super(message, cause);
    }
}
