package dev.skiff.dsl.cli;

/** Entry point of the {@code skiff} command. */
public final class Main {
    /** System.nanoTime() when main started, for {@link Timings}. */
    static final long NANOS_AT_MAIN = System.nanoTime();
    /** Milliseconds from JVM creation to main, measured only when timings are on. */
    static long uptimeAtMainMillis;

    private Main() {
    }

    public static void main(String[] args) {
        if (Timings.ENABLED) {
            uptimeAtMainMillis = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
        }
        // slf4j-simple reads its level once, on first use: warnings and errors only unless the user set a level.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        EarlyCompile.start(args);
        System.exit(SkiffCommand.commandLine().execute(args));
    }
}
