package dev.skiff.dsl.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Phase durations of one {@code skiff run}, printed to standard error when the environment
 * variable {@code SKIFF_TIMINGS} is {@code 1}: JVM start (JVM creation to {@code main}), CLI start
 * (command line parsing and Groovy's runtime), then each phase the runner marks. For benchmarks;
 * costs nothing when off.
 */
final class Timings {
    static final boolean ENABLED = "1".equals(System.getenv("SKIFF_TIMINGS"));

    private final List<String> phases = new ArrayList<>();
    private long last = System.nanoTime();

    /** Records the JVM start (JVM creation to {@code main}) and the CLI start ({@code main} to now) phases. */
    Timings() {
        if (ENABLED) {
            phases.add("jvm start " + Main.uptimeAtMainMillis + " ms");
            phases.add("cli start " + (last - Main.NANOS_AT_MAIN) / 1_000_000 + " ms");
        }
    }

    /** Ends the current phase under {@code name}. */
    void mark(String name) {
        if (ENABLED) {
            long now = System.nanoTime();
            phases.add(name + " " + (now - last) / 1_000_000 + " ms");
            last = now;
        }
    }

    void print(PrintStream err) {
        if (ENABLED) {
            err.println("skiff timings: " + String.join(", ", phases));
            err.flush();
        }
    }
}
