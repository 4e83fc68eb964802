package dev.skiff.kernel.magic;

/** Thrown when a magic command is unknown, has invalid arguments, or fails. */
public final class MagicException extends Exception {
    public MagicException(String message) {
        super(message);
    }

    public MagicException(String message, Throwable cause) {
        super(message, cause);
    }
}
