package dev.skiff;

import dev.skiff.engine.Outcome;
import dev.skiff.serial.ErrorPayload;
import dev.skiff.serial.Payloads;
import java.io.IOException;

/** Turns an input's {@link Outcome} into its value or the exception that the caller receives. */
final class Outcomes {
    private Outcomes() {
    }

    /** Returns the decoded value, or throws the input's exception (the original type where it can be rebuilt). */
    static Object valueOrThrow(Outcome outcome, ClassLoader loader, String description) {
        if (outcome.kind() == Outcome.Kind.VALUE) {
            try {
                return Payloads.decodeValue(outcome.payload(), loader);
            } catch (IOException | ClassNotFoundException e) {
                throw new SkiffException("Failed to read the result of " + description + ": " + e, e);
            }
        }
        throw Outcomes.<RuntimeException>sneaky(exception(outcome, loader));
    }

    /** Returns the exception of a failed outcome: the user's original exception when it can be rebuilt. */
    static Throwable exception(Outcome outcome, ClassLoader loader) {
        if (outcome.kind() != Outcome.Kind.USER_ERROR) {
            return outcome.failure();
        }
        ErrorPayload error = ErrorPayload.decode(outcome.payload());
        if (error.serialized().length > 0) {
            try {
                Object rebuilt = Payloads.deserialize(error.serialized(), loader);
                if (rebuilt instanceof Throwable throwable) {
                    return throwable;
                }
            } catch (IOException | ClassNotFoundException | RuntimeException e) {
                // Fall back to the type name, message and stack text below.
            }
        }
        return new RemoteException(error.type(), error.message(), error.stackTrace());
    }

    @SuppressWarnings("unchecked")
    static <E extends Throwable> E sneaky(Throwable error) throws E {
        throw (E) error;
    }
}
