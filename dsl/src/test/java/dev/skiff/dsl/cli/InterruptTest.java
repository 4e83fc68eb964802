package dev.skiff.dsl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.dsl.CliProcess;
import dev.skiff.dsl.WorkerProcesses;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C (SIGINT) during {@code skiff run} cancels the running calls and stops every worker before exit. */
class InterruptTest {
    @TempDir
    Path home;

    @Test
    void sigintStopsWorkersBeforeExit() throws Exception {
        CliProcess skiff = new CliProcess(home);
        Path stderr = Files.createTempFile(home, "stderr", ".txt");
        Process process = skiff.builder(skiff.command("run", "sleeper.groovy"))
                .directory(RunCommandTest.SCRIPTS.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(stderr.toFile()).start();
        try {
            BufferedReader stdout = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<Boolean> napping = CompletableFuture.supplyAsync(() -> countLines(stdout, "napping", 2));
            assertThat(napping.get(CliProcess.TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .as("both calls started in workers").isTrue();
            List<ProcessHandle> workers = WorkerProcesses.find(skiff.marker());
            assertThat(workers).isNotEmpty();

            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("skiff exited after SIGINT").isTrue();

            assertThat(process.exitValue()).isEqualTo(130);
            assertThat(Files.readString(stderr)).contains("skiff: interrupted; stopping workers");
            assertThat(workers).noneMatch(ProcessHandle::isAlive);
            assertThat(WorkerProcesses.find(skiff.marker())).isEmpty();
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** Reads lines until {@code count} of them equal {@code expected}; false at end of output. */
    private static boolean countLines(BufferedReader reader, String expected, int count) {
        try {
            int seen = 0;
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.equals(expected) && ++seen == count) {
                    return true;
                }
            }
            return false;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
