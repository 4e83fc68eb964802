package dev.skiff.dsl.cli;

/** A command line that names something that does not exist or gives an invalid value; exit status 2. */
public final class UsageException extends Exception {
    public UsageException(String message) {
        super(message);
    }
}
