package dev.skiff;

import java.io.Serializable;
import java.util.regex.Pattern;

/**
 * A named, persistent volume that workers on the Docker backend mount at a path (a Docker named
 * volume of the same name, created on first use). Several functions may mount one volume to share files.
 */
public record Volume(String name) implements Serializable {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    public Volume {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidException("Invalid volume name '" + name
                    + "': use 1 to 63 letters, digits, '_', '.' or '-', starting with a letter or digit.");
        }
    }

    /** Returns the volume called {@code name}; the backend creates it when it is first mounted. */
    public static Volume fromName(String name) {
        return new Volume(name);
    }
}
