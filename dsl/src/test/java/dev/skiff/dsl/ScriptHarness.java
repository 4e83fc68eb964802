package dev.skiff.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import groovy.lang.Script;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles and runs a script in this JVM as {@code skiff run} does, in a session of its own, then
 * closes the session and checks that every worker it started has ended.
 */
public final class ScriptHarness {
    /** The scripts under src/test/resources/dsl. */
    public static final Path SCRIPTS = Path.of("src/test/resources/dsl").toAbsolutePath();

    private ScriptHarness() {
    }

    /** Runs {@code script} (a file under {@link #SCRIPTS}) with {@code args} and returns what its body returns. */
    public static Object run(String script, String... args) throws Exception {
        return run(SCRIPTS.resolve(script), args);
    }

    /** Runs the script file {@code file} with {@code args} and returns what its body returns. */
    public static Object run(Path file, String... args) throws Exception {
        ScriptSession session = ScriptSession.forScript();
        List<Long> workers = new ArrayList<>();
        try {
            Script script = ScriptFiles.compile(session, file, args);
            Object result = script.run();
            var entrypoint = session.entrypoint();
            if (entrypoint.isPresent()) {
                result = entrypoint.get().call();
            }
            session.startedEngine().ifPresent(engine -> workers.addAll(engine.workerPids()));
            return result;
        } finally {
            session.close();
            assertThat(WorkerProcesses.alive(workers, Duration.ofSeconds(10))).as("workers left running").isEmpty();
        }
    }
}
