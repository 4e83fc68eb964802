package dev.skiff.engine;

/**
 * The end of an input: a result payload, a user error payload, or a failure that Skiff raised
 * (timeout, dead worker, cancellation, engine shutdown).
 */
public final class Outcome {
    public enum Kind { VALUE, USER_ERROR, FAILURE, CANCELLED }

    private final Kind kind;
    private final byte[] payload;
    private final RuntimeException failure;

    private Outcome(Kind kind, byte[] payload, RuntimeException failure) {
        this.kind = kind;
        this.payload = payload;
        this.failure = failure;
    }

    static Outcome value(byte[] payload) {
        return new Outcome(Kind.VALUE, payload, null);
    }

    static Outcome userError(byte[] errorPayload) {
        return new Outcome(Kind.USER_ERROR, errorPayload, null);
    }

    static Outcome failure(RuntimeException failure) {
        return new Outcome(Kind.FAILURE, null, failure);
    }

    static Outcome cancelled(RuntimeException failure) {
        return new Outcome(Kind.CANCELLED, null, failure);
    }

    public Kind kind() {
        return kind;
    }

    /** Returns the encoded value for {@code VALUE}, the encoded error payload for {@code USER_ERROR}, else null. */
    public byte[] payload() {
        return payload;
    }

    /** Returns the exception for {@code FAILURE} and {@code CANCELLED}, else null. */
    public RuntimeException failure() {
        return failure;
    }
}
