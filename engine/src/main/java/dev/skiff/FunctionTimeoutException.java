package dev.skiff;

/** An attempt of an input that ran past its function's timeout; the worker running it was stopped. */
public class FunctionTimeoutException extends SkiffException {
    public FunctionTimeoutException(String message) {
        super(message);
    }
}
