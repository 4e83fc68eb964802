package dev.skiff;

/** Base type of every error that Skiff raises itself, as opposed to errors thrown by user code. */
public class SkiffException extends RuntimeException {
    public SkiffException(String message) {
        super(message);
    }

    public SkiffException(String message, Throwable cause) {
        super(message, cause);
    }
}
