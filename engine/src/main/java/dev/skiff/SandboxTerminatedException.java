package dev.skiff;

/** Thrown by {@link Sandbox#waitFor(boolean)} when the sandbox was terminated. */
public class SandboxTerminatedException extends SkiffException {
    public SandboxTerminatedException(String message) {
        super(message);
    }
}
