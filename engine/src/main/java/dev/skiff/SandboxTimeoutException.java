package dev.skiff;

/** Thrown by {@link Sandbox#waitFor(boolean)} when the sandbox ran past its timeout or idle timeout. */
public class SandboxTimeoutException extends SkiffException {
    public SandboxTimeoutException(String message) {
        super(message);
    }
}
