package dev.skiff.kernel;

/** Thrown by {@link KernelContext#readInput} when the request did not set {@code allow_stdin} to true. */
public final class StdinNotAllowedException extends IllegalStateException {

    public StdinNotAllowedException(String message) {
        super(message);
    }
}
