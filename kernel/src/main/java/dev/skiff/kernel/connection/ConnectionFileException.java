package dev.skiff.kernel.connection;

import java.io.IOException;

/** Signals a Jupyter connection file that is not valid JSON or lacks a usable field. */
public final class ConnectionFileException extends IOException {

    public ConnectionFileException(String message) {
        super(message);
    }

    public ConnectionFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
