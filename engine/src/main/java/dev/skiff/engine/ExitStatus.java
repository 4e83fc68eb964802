package dev.skiff.engine;

/** Turns a worker's exit status into words. */
final class ExitStatus {
    /** Exit status of a JVM that stopped on {@code -XX:+ExitOnOutOfMemoryError}. */
    static final int OUT_OF_MEMORY = 3;

    private ExitStatus() {
    }

    /** Returns a phrase such as "was killed by signal 9 (SIGKILL, exit status 137)", with the last output lines. */
    static String describe(int status, String outputTail) {
        return describe(status, null, outputTail);
    }

    /** Same as {@link #describe(int, String)}, with the backend's own account of the exit when it has one. */
    static String describe(int status, String detail, String outputTail) {
        String phrase;
        if (detail != null) {
            phrase = detail;
        } else if (status == OUT_OF_MEMORY && outputTail.contains("OutOfMemoryError")) {
            phrase = "ran out of memory (java.lang.OutOfMemoryError, exit status 3)";
        } else if (status > 128 && status < 160) {
            int signal = status - 128;
            phrase = "was killed by signal " + signal + signalName(signal) + " (exit status " + status + ")";
        } else {
            phrase = "exited with status " + status + " (System.exit or a crash)";
        }
        if (!outputTail.isBlank()) {
            phrase += "; its last output lines:\n" + outputTail;
        }
        return phrase;
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 9 -> " (SIGKILL)";
            case 15 -> " (SIGTERM)";
            case 6 -> " (SIGABRT)";
            case 11 -> " (SIGSEGV)";
            default -> "";
        };
    }
}
