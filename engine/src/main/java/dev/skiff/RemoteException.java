package dev.skiff;

/**
 * An exception thrown by user code in a worker whose type the caller cannot load or deserialize.
 * It carries the remote type name, message and stack trace text; exceptions the caller can load
 * are rethrown as their original type instead.
 */
public class RemoteException extends SkiffException {
    private final String remoteType;
    private final String remoteMessage;
    private final String remoteStackTrace;

    public RemoteException(String remoteType, String remoteMessage, String remoteStackTrace) {
        super(remoteType + (remoteMessage == null ? "" : ": " + remoteMessage));
        this.remoteType = remoteType;
        this.remoteMessage = remoteMessage;
        this.remoteStackTrace = remoteStackTrace;
    }

    /** Returns the fully qualified class name of the exception thrown in the worker. */
    public String remoteType() {
        return remoteType;
    }

    /** Returns the message of the remote exception, or null when it had none. */
    public String remoteMessage() {
        return remoteMessage;
    }

    /** Returns the remote stack trace as printed by {@link Throwable#printStackTrace()}. */
    public String remoteStackTrace() {
        return remoteStackTrace;
    }

    @Override
    public String toString() {
        return getClass().getName() + ": " + getMessage() + System.lineSeparator() + "Remote stack trace:"
                + System.lineSeparator() + remoteStackTrace;
    }
}
