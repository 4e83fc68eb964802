package dev.skiff;

import java.nio.file.Path;

/** Locates the Skiff home folder: {@code SKIFF_HOME}, the system property {@code skiff.home}, or {@code ~/.skiff}. */
public final class SkiffHome {
    private SkiffHome() {
    }

    public static Path path() {
        String property = System.getProperty("skiff.home");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String env = System.getenv("SKIFF_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".skiff");
    }
}
