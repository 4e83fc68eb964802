package dev.skiff.kernel.wire;

/**
 * Signals received frames that are not a valid Jupyter message or whose signature does not match.
 *
 * <p>{@link #msgId()} and {@link #msgType()} come from the header when it could be read, for logging only:
 * with a bad signature they are unauthenticated.
 */
public final class InvalidMessageException extends Exception {

    private final String msgId;
    private final String msgType;

    public InvalidMessageException(String message, String msgId, String msgType) {
        super(message);
        this.msgId = msgId;
        this.msgType = msgType;
    }

    public InvalidMessageException(String message, String msgId, String msgType, Throwable cause) {
        super(message, cause);
        this.msgId = msgId;
        this.msgType = msgType;
    }

    /** Returns the header's msg_id, or {@code null} when it could not be read. */
    public String msgId() {
        return msgId;
    }

    /** Returns the header's msg_type, or {@code null} when it could not be read. */
    public String msgType() {
        return msgType;
    }
}
