package dev.skiff;

import dev.skiff.code.CodeBundle;

/**
 * Supplies the code of apps created without a bundle, for hosts whose classes exist only in memory
 * and keep changing, such as a notebook kernel. Set with {@link App#setCodeHost}. The app calls it at
 * each registration, so code defined after the app was created still reaches workers.
 * Implementations must be thread-safe.
 */
public interface CodeHost {
    /**
     * Returns the bundle for workers that run {@code code}: a {@link FunctionBody}, a {@link Class}
     * registered with {@link App#cls}, or null when a deployment needs everything the host defines.
     */
    CodeBundle bundle(Object code);

    /**
     * Returns the body to serialize and send to workers in place of {@code body}, for example one
     * that restores state the body depends on. Local calls still run {@code body}. By default the
     * body itself.
     *
     * @throws InvalidException when the body depends on state that cannot be sent
     */
    default FunctionBody prepare(String function, FunctionBody body) {
        return body;
    }
}
