package dev.skiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LifecycleTest {
    @Test
    void closingEngineLeavesNoWorker(@org.junit.jupiter.api.io.TempDir Path folder) throws Exception {
        Path started = folder.resolve("started");
        String startedFile = started.toString();
        List<Long> pids;
        try (Engine engine = Engine.embedded()) {
            App app = App.named("lifecycle", engine);
            Function<Long> slowPid = app.function("slow-pid", FunctionOptions.defaults().maxContainers(3), () -> {
                Thread.sleep(500);
                return ProcessHandle.current().pid();
            });
            Function<Long> busy = app.function("busy", () -> {
                TestFiles.appendLine(startedFile, "started");
                Thread.sleep(60_000);
                return 0L;
            });
            List<FunctionCall<Long>> calls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                calls.add(slowPid.spawn());
            }
            FunctionCall.gather(calls);
            FunctionCall<Long> running = busy.spawn();
            TestFiles.awaitLines(started, 1, Duration.ofSeconds(30));
            pids = engine.workerPids();
            assertThat(pids).hasSize(4);
            engine.close(Duration.ofSeconds(2));
            assertThatThrownBy(running::get).isExactlyInstanceOf(SkiffException.class)
                    .hasMessageContaining("was closed while input " + running.objectId() + " of busy was running");
        }
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("worker %d is alive", pid).isFalse();
        }
    }

    @Test
    void closedEngineRejectsNewCalls() {
        Engine engine = Engine.embedded();
        Function<Integer> one = App.named("closed", engine).function("one", () -> 1);
        engine.close();
        assertThatThrownBy(one::remote)
                .isExactlyInstanceOf(SkiffException.class)
                .hasMessage("The engine " + engine.id() + " is closed; use Engine.getDefault() or start a new one.");
    }

    @Test
    void workersDieWhenCallerJvmIsKilled() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OrphanParent.class.getName());
        Process parent = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<Long> workers = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("workers=")) {
                    String list = line.substring("workers=[".length(), line.length() - 1);
                    Arrays.stream(list.split(",\\s*")).map(Long::parseLong).forEach(workers::add);
                    break;
                }
            }
            assertThat(workers).hasSize(2);
            assertThat(workers.stream().distinct().count()).isEqualTo(2);
            parent.destroyForcibly();
            assertThat(parent.waitFor(10, TimeUnit.SECONDS)).isTrue();
            for (long pid : workers) {
                TestFiles.awaitExit(pid, Duration.ofSeconds(10));
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                        .as("worker %d is alive", pid).isFalse();
            }
        } finally {
            parent.destroyForcibly();
        }
    }
}
