package dev.skiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClsTest {
    @TempDir
    Path folder;

    /** A stateful class: counts calls per worker and records its lifecycle in a file. */
    public static class Counter {
        @Parameter
        String log = "";
        @Parameter
        int step = 1;
        private int count;
        private String greeting;

        @Enter
        void load() {
            greeting = "ready";
            TestFiles.appendLine(log, "enter " + ProcessHandle.current().pid());
        }

        @Method
        public int next() {
            count += step;
            return count;
        }

        @Method
        public String greet(String name) {
            return greeting + " " + name;
        }

        @Method
        public long pid() {
            return ProcessHandle.current().pid();
        }

        @Exit
        void unload() {
            TestFiles.appendLine(log, "exit " + ProcessHandle.current().pid() + " after " + count);
        }
    }

    public static class NoMethods {
        public int value() {
            return 1;
        }
    }

    @Test
    void stateAndHooksOnOneWorker() throws Exception {
        Path log = folder.resolve("lifecycle");
        long pid;
        try (Engine engine = Engine.embedded()) {
            Cls<Counter> counter = App.named("cls-test", engine).cls(Counter.class)
                    .withParameters(Map.of("log", log.toString()));
            Function<Integer> next = counter.method("next");
            assertThat(next.remote()).isEqualTo(1);
            assertThat(next.remote()).isEqualTo(2);
            assertThat(next.remote()).isEqualTo(3);
            assertThat(counter.<String>method("greet").remote("Ada")).isEqualTo("ready Ada");
            pid = counter.<Long>method("pid").remote();
            assertThat(TestFiles.lines(log)).containsExactly("enter " + pid);
        }
        assertThat(TestFiles.lines(log)).containsExactly("enter " + pid, "exit " + pid + " after 3");
    }

    @Test
    void parametersGetSeparatePools() {
        String log = folder.resolve("lifecycle").toString();
        try (Engine engine = Engine.embedded()) {
            Cls<Counter> counter = App.named("cls-params", engine).cls(Counter.class)
                    .withParameters(Map.of("log", log));
            Cls<Counter> byTen = counter.withParameters(Map.of("step", 10));
            assertThat(counter.<Integer>method("next").remote()).isEqualTo(1);
            assertThat(byTen.<Integer>method("next").remote()).isEqualTo(10);
            assertThat(byTen.<Integer>method("next").remote()).isEqualTo(20);
            assertThat(counter.<Integer>method("next").remote()).isEqualTo(2);
            long pidOne = counter.<Long>method("pid").remote();
            long pidTen = byTen.<Long>method("pid").remote();
            assertThat(pidOne).isNotEqualTo(pidTen);
        }
    }

    @Test
    void methodsRunThroughSpawnAndMap() {
        String log = folder.resolve("lifecycle").toString();
        try (Engine engine = Engine.embedded()) {
            Cls<Counter> counter = App.named("cls-map", engine).cls(Counter.class,
                    FunctionOptions.defaults().maxContainers(1)).withParameters(Map.of("log", log));
            Function<String> greet = counter.method("greet");
            assertThat(greet.map(List.of("a", "b"))).containsExactly("ready a", "ready b");
            assertThat(greet.spawn("c").get()).isEqualTo("ready c");
        }
    }

    @Test
    void exitHookRunsOnScaleDown() throws Exception {
        Path log = folder.resolve("lifecycle");
        try (Engine engine = Engine.embedded()) {
            Cls<Counter> counter = App.named("cls-scaledown", engine)
                    .cls(Counter.class, FunctionOptions.defaults().scaledownWindow(Duration.ofMillis(300)))
                    .withParameters(Map.of("log", log.toString()));
            long pid = counter.<Long>method("pid").remote();
            List<String> lines = TestFiles.awaitLines(log, 2, Duration.ofSeconds(10));
            assertThat(lines).containsExactly("enter " + pid, "exit " + pid + " after 0");
            TestFiles.awaitExit(pid, Duration.ofSeconds(10));
            assertThat(engine.workerPids()).doesNotContain(pid);
        }
    }

    @Test
    void localRunsMethodInThisJvm() {
        String log = folder.resolve("lifecycle").toString();
        Cls<Counter> counter = App.named("cls-local").cls(Counter.class).withParameters(Map.of("log", log));
        assertThat(counter.<Long>method("pid").local()).isEqualTo(ProcessHandle.current().pid());
        assertThat(counter.<String>method("greet").local("me")).isEqualTo("ready me");
    }

    @Test
    void invalidClassesAndNamesAreRejected() {
        App app = App.named("cls-invalid");
        assertThatThrownBy(() -> app.cls(NoMethods.class))
                .isExactlyInstanceOf(InvalidException.class)
                .hasMessage("Class " + NoMethods.class.getName() + " has no @Method methods; mark the methods that "
                        + "callers may run with @dev.skiff.Method.");
        Cls<Counter> counter = app.cls(Counter.class);
        assertThatThrownBy(() -> counter.method("reset"))
                .isExactlyInstanceOf(InvalidException.class)
                .hasMessage("Class Counter has no @Method named reset; its methods are [greet, next, pid].");
        assertThatThrownBy(() -> counter.<String>method("greet").remote("a", "b"))
                .isExactlyInstanceOf(InvalidException.class)
                .hasMessage("Counter.greet takes 1 argument but remote was called with 2.");
        assertThatThrownBy(() -> counter.withParameters(Map.of("size", 3)))
                .isExactlyInstanceOf(InvalidException.class)
                .hasMessage("Class Counter has no @Parameter field named size; its parameters are [log, step].");
    }

    @Test
    void concurrentInputsShareOneWorker() {
        try (Engine engine = Engine.embedded()) {
            Function<Long> slowPid = App.named("concurrent", engine).function("slow-pid",
                    FunctionOptions.defaults().concurrentInputs(4).maxContainers(4), () -> {
                        Thread.sleep(1000);
                        return ProcessHandle.current().pid();
                    });
            long start = System.nanoTime();
            List<FunctionCall<Long>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(slowPid.spawn());
            }
            List<Long> pids = FunctionCall.gather(calls);
            assertThat(pids.stream().distinct().count()).isEqualTo(1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(3500));
        }
    }

    @Test
    void maxContainersLimitsWorkers() {
        try (Engine engine = Engine.embedded()) {
            Function<Long> slowPid = App.named("max-containers", engine).function("slow-pid",
                    FunctionOptions.defaults().maxContainers(2), () -> {
                        Thread.sleep(300);
                        return ProcessHandle.current().pid();
                    });
            List<FunctionCall<Long>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(slowPid.spawn());
            }
            List<Long> pids = FunctionCall.gather(calls);
            assertThat(pids.stream().distinct().count()).isEqualTo(2);
        }
    }

    @Test
    void minContainersKeepsWorkersWarm() throws Exception {
        try (Engine engine = Engine.embedded()) {
            Function<Long> pid = App.named("min-containers", engine).function("pid",
                    FunctionOptions.defaults().minContainers(1).scaledownWindow(Duration.ofMillis(200)),
                    () -> ProcessHandle.current().pid());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (engine.workerPids().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(engine.workerPids()).as("a worker started at registration").hasSize(1);
            long first = pid.remote();
            assertThat(engine.workerPids()).containsExactly(first);
            Thread.sleep(800);
            assertThat(engine.workerPids()).contains(first);
            assertThat(pid.remote()).isEqualTo(first);
        }
    }
}
