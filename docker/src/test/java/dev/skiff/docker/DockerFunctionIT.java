package dev.skiff.docker;

import dev.skiff.TestFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import dev.skiff.App;
import dev.skiff.Cls;
import dev.skiff.Engine;
import dev.skiff.Enter;
import dev.skiff.Exit;
import dev.skiff.Function;
import dev.skiff.FunctionCall;
import dev.skiff.FunctionOptions;
import dev.skiff.FunctionTimeoutException;
import dev.skiff.InputCancellationException;
import dev.skiff.MapOptions;
import dev.skiff.Method;
import dev.skiff.OutputSink;
import dev.skiff.Parameter;
import dev.skiff.Retries;
import dev.skiff.WorkerDiedException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The function and class semantics of the local backend's tests, run on the Docker backend. Every
 * worker is a container, so tests tell workers apart by host name: Docker gives each container the
 * first 12 hex digits of its id as host name, while every worker JVM there has pid 1. Bodies leave
 * evidence in a {@code @TempDir} folder that their container mounts at {@code /files}.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DockerFunctionIT {
    /** Upper bound of every wait for a call or for evidence, generous because the test machine may be busy. */
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Retries NO_DELAY = Retries.of(2, 1.0, Duration.ZERO, Duration.ofSeconds(1));
    private static final Retries THREE_RETRIES = Retries.of(3, 1.0, Duration.ZERO, Duration.ofSeconds(1));
    /** Idle containers stop after 10 s, so the functions of earlier tests do not crowd the machine. */
    private static final FunctionOptions DOCKER = FunctionOptions.defaults().backend("docker")
            .scaledownWindow(Duration.ofSeconds(10));

    private static Engine engine;
    private static App app;
    private static EngineContainers containers;

    @TempDir
    Path folder;

    @BeforeAll
    static void start() {
        engine = Engine.embedded();
        app = App.named("docker-functions", engine);
        containers = new EngineContainers(engine);
    }

    @AfterAll
    static void stop() {
        try {
            engine.close();
            assertThat(containers.all()).as("containers of engine %s after it closed", engine.id()).isEmpty();
        } finally {
            containers.close();
        }
    }

    /** A stateful class: counts calls per worker and records its lifecycle in the file {@link #log}. */
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
            TestFiles.appendLine(log, "enter " + WorkerFiles.hostName());
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
        public String host() {
            return WorkerFiles.hostName();
        }

        @Exit
        void unload() {
            TestFiles.appendLine(log, "exit " + WorkerFiles.hostName() + " after " + count);
        }
    }

    @Test
    void remoteReturnsResult() {
        Function<Integer> square = app.function("square", DOCKER, (Integer x) -> x * x);

        assertThat(square.remote(4)).isEqualTo(16);
        assertThat(square.remote(-3)).isEqualTo(9);
    }

    @Test
    void remoteRunsInContainerOfEngine() {
        Function<String> host = app.function("host", DOCKER, () -> WorkerFiles.hostName());

        String hostName = host.remote();

        Map<String, String> labels = containers.inspectByHostName(hostName).getConfig().getLabels();
        assertThat(labels).containsEntry(DockerBackend.LABEL_ENGINE, engine.id());
        assertThat(labels).containsEntry(DockerBackend.LABEL_APP, "docker-functions");
        assertThat(labels).containsEntry(DockerBackend.LABEL_FUNCTION, "host");
        assertThat(hostName).isNotEqualTo(WorkerFiles.hostName());
    }

    @Test
    void uncheckedExceptionKeepsTypeAndMessage() {
        Function<Integer> f = app.function("unchecked", DOCKER, (Integer x) -> {
            throw new IllegalArgumentException("bad input " + x);
        });

        assertThatThrownBy(() -> f.remote(7))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad input 7");
    }

    @Test
    void checkedExceptionKeepsTypeAndMessage() {
        Function<Integer> f = app.function("checked", DOCKER, (Integer x) -> {
            throw new IOException("disk " + x + " is gone");
        });

        assertThatThrownBy(() -> f.remote(2))
                .isExactlyInstanceOf(IOException.class)
                .hasMessage("disk 2 is gone");
    }

    @Test
    void mapReturnsResultsInInputOrder() {
        Function<Integer> square = app.function("map-square", DOCKER, (Integer x) -> x * x);

        List<Integer> results = square.map(IntStream.range(0, 40).boxed().toList());

        assertThat(results).hasSize(40);
        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i)).as("result %d", i).isEqualTo(i * i);
        }
    }

    @Test
    void failingInputRaisesWithoutReturnExceptions() {
        Function<Integer> f = app.function("fails-on-three", DOCKER, (Integer x) -> {
            if (x == 3) {
                throw new IllegalArgumentException("three is not allowed");
            }
            return x;
        });

        assertThatThrownBy(() -> f.map(List.of(1, 2, 3, 4, 5)))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("three is not allowed");
    }

    @Test
    void failingInputTakesItsSlotWithReturnExceptions() {
        Function<Integer> f = app.function("fails-on-three-slot", DOCKER, (Integer x) -> {
            if (x == 3) {
                throw new IllegalArgumentException("three is not allowed");
            }
            return x * 10;
        });

        List<Object> results = f.map(List.of(1, 2, 3, 4), MapOptions.defaults().withReturnExceptions(true));

        assertThat(results).hasSize(4);
        assertThat(results.get(0)).isEqualTo(10);
        assertThat(results.get(1)).isEqualTo(20);
        assertThat(results.get(2)).isExactlyInstanceOf(IllegalArgumentException.class);
        assertThat(((Throwable) results.get(2)).getMessage()).isEqualTo("three is not allowed");
        assertThat(results.get(3)).isEqualTo(40);
    }

    @Test
    void starmapSpreadsTuples() {
        Function<String> join = app.function("join", DOCKER, (String a, Integer b) -> a + "=" + b);

        assertThat(join.starmap(List.of(List.of("a", 1), List.of("b", 2), List.of("c", 3))))
                .containsExactly("a=1", "b=2", "c=3");
    }

    @Test
    void spawnedCallWaitsWithTimeout() throws Exception {
        Function<String> f = app.function("slow-ok", DOCKER, () -> {
            Thread.sleep(3000);
            return "done";
        });

        FunctionCall<String> call = f.spawn();

        assertThatThrownBy(() -> call.get(Duration.ofMillis(100)))
                .isExactlyInstanceOf(TimeoutException.class)
                .hasMessage("Function call " + call.objectId() + " did not finish within 100 ms.");
        assertThatThrownBy(() -> call.get(Duration.ZERO))
                .isExactlyInstanceOf(TimeoutException.class)
                .hasMessage("Function call " + call.objectId() + " has not finished.");
        assertThat(call.isFinished()).isFalse();
        assertThat(call.get(WAIT)).isEqualTo("done");
        assertThat(call.isFinished()).isTrue();
        assertThat(call.get(Duration.ZERO)).isEqualTo("done");
    }

    @Test
    void timeoutStopsContainer() throws Exception {
        Path started = folder.resolve("started");
        Function<Integer> f = app.function("slow", DOCKER.timeout(Duration.ofSeconds(3)).mount(folder, "/files"),
                () -> {
                    TestFiles.appendLine("/files/started", WorkerFiles.hostName());
                    Thread.sleep(60_000);
                    return 1;
                });

        FunctionCall<Integer> call = f.spawn();
        String hostName = TestFiles.awaitLines(started, 1, WAIT).get(0);
        InspectContainerResponse container = containers.inspectByHostName(hostName);
        String workerId = container.getConfig().getLabels().get(DockerBackend.LABEL_WORKER);
        Throwable error = catchThrowable(() -> call.get(WAIT));

        assertThat(error).isExactlyInstanceOf(FunctionTimeoutException.class);
        assertThat(error).hasMessage("slow input " + call.objectId() + " timed out after 3000 ms (attempt 1 of 1); "
                + "its worker " + workerId + " was stopped.");
        containers.awaitRemoved(container.getId(), WAIT);
        assertThat(TestFiles.lines(started)).containsExactly(hostName);
    }

    @Test
    void failingInputIsRetriedExactly() {
        Function<Integer> f = app.function("always-fails", DOCKER.retries(NO_DELAY).mount(folder, "/files"), () -> {
            TestFiles.appendLine("/files/attempts", "attempt");
            throw new IllegalStateException("fails every time");
        });

        assertThatThrownBy(f::remote).isExactlyInstanceOf(IllegalStateException.class).hasMessage("fails every time");
        assertThat(TestFiles.lines(folder.resolve("attempts"))).hasSize(3);
    }

    @Test
    void retrySucceedsAfterFailures() {
        Function<Integer> f = app.function("fails-twice", DOCKER.retries(NO_DELAY).mount(folder, "/files"), () -> {
            TestFiles.appendLine("/files/attempts", "attempt");
            if (TestFiles.lines(Path.of("/files/attempts")).size() < 3) {
                throw new IllegalStateException("not yet");
            }
            return 42;
        });

        assertThat(f.remote()).isEqualTo(42);
        assertThat(TestFiles.lines(folder.resolve("attempts"))).hasSize(3);
    }

    @Test
    void killedContainerFailsInputWithExitStatus() throws Exception {
        Path started = folder.resolve("started");
        Function<Integer> f = app.function("killed", DOCKER.mount(folder, "/files"), () -> {
            TestFiles.appendLine("/files/started", WorkerFiles.hostName());
            Thread.sleep(60_000);
            return 1;
        });

        FunctionCall<Integer> call = f.spawn();
        String hostName = TestFiles.awaitLines(started, 1, WAIT).get(0);
        InspectContainerResponse container = containers.inspectByHostName(hostName);
        String workerId = container.getConfig().getLabels().get(DockerBackend.LABEL_WORKER);
        containers.client().killContainerCmd(container.getId()).exec();
        Throwable error = catchThrowable(() -> call.get(WAIT));

        assertThat(error).isExactlyInstanceOf(WorkerDiedException.class);
        assertThat(((WorkerDiedException) error).exitStatus()).isEqualTo(137);
        assertThat(error).hasMessage("killed input " + call.objectId() + " failed: its worker " + workerId
                + " was killed by signal 9 (SIGKILL) (exit status 137).");
        containers.awaitRemoved(container.getId(), WAIT);
    }

    @Test
    void killedContainerInputIsRetried() throws Exception {
        Path started = folder.resolve("started");
        Function<String> f = app.function("killed-then-ok", DOCKER.retries(NO_DELAY).mount(folder, "/files"), () -> {
            TestFiles.appendLine("/files/started", WorkerFiles.hostName());
            if (TestFiles.lines(Path.of("/files/started")).size() == 1) {
                Thread.sleep(60_000);
            }
            return "second attempt on " + WorkerFiles.hostName();
        });

        FunctionCall<String> call = f.spawn();
        String firstHost = TestFiles.awaitLines(started, 1, WAIT).get(0);
        containers.client().killContainerCmd(containers.inspectByHostName(firstHost).getId()).exec();
        String result = call.get(WAIT);

        List<String> hosts = TestFiles.lines(started);
        assertThat(hosts).hasSize(2);
        assertThat(hosts.get(0)).isEqualTo(firstHost);
        assertThat(hosts.get(1)).isNotEqualTo(firstHost);
        assertThat(result).isEqualTo("second attempt on " + hosts.get(1));
    }

    @Test
    void cancelRunningInputKeepsContainer() throws Exception {
        Path started = folder.resolve("started");
        Path interrupted = folder.resolve("interrupted");
        Function<String> f = app.function("cancel-me",
                DOCKER.retries(THREE_RETRIES).maxContainers(1).mount(folder, "/files"), (Integer mode) -> {
                    TestFiles.appendLine("/files/started", mode + " " + WorkerFiles.hostName());
                    if (mode == 0) {
                        try {
                            Thread.sleep(60_000);
                        } catch (InterruptedException e) {
                            TestFiles.appendLine("/files/interrupted", WorkerFiles.hostName());
                            throw e;
                        }
                    }
                    return WorkerFiles.hostName();
                });

        FunctionCall<String> call = f.spawn(0);
        String hostName = TestFiles.awaitLines(started, 1, WAIT).get(0).substring("0 ".length());
        call.cancel();

        assertThat(call.isFinished()).isTrue();
        assertThatThrownBy(() -> call.get(WAIT))
                .isExactlyInstanceOf(InputCancellationException.class)
                .hasMessage("Input " + call.objectId() + " of cancel-me was cancelled.");
        assertThat(TestFiles.awaitLines(interrupted, 1, WAIT)).containsExactly(hostName);
        // With one container, a retry of the cancelled input would run before this call and log "0" again.
        assertThat(f.spawn(1).get(WAIT)).isEqualTo(hostName);
        assertThat(TestFiles.lines(started)).containsExactly("0 " + hostName, "1 " + hostName);
    }

    @Test
    void cancelWithTerminateRemovesContainer() throws Exception {
        Path started = folder.resolve("started");
        Function<String> f = app.function("terminate-me",
                DOCKER.retries(THREE_RETRIES).maxContainers(1).mount(folder, "/files"), (Integer mode) -> {
                    TestFiles.appendLine("/files/started", mode + " " + WorkerFiles.hostName());
                    long end = System.nanoTime() + (mode == 0 ? Duration.ofSeconds(60).toNanos() : 0);
                    while (System.nanoTime() < end) {
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException e) {
                            // Ignored, so that only removing the container ends this input.
                        }
                    }
                    return WorkerFiles.hostName();
                });

        FunctionCall<String> call = f.spawn(0);
        String hostName = TestFiles.awaitLines(started, 1, WAIT).get(0).substring("0 ".length());
        String containerId = containers.inspectByHostName(hostName).getId();
        call.cancel(true);

        assertThatThrownBy(() -> call.get(WAIT))
                .isExactlyInstanceOf(InputCancellationException.class)
                .hasMessage("Input " + call.objectId() + " of terminate-me was cancelled.");
        containers.awaitRemoved(containerId, WAIT);
        String secondHost = f.spawn(1).get(WAIT);
        assertThat(secondHost).isNotEqualTo(hostName);
        assertThat(TestFiles.lines(started)).containsExactly("0 " + hostName, "1 " + secondHost);
    }

    @Test
    void maxContainersLimitsContainers() {
        // Each input returns only once three containers have run inputs, so fewer than three fails the test.
        Function<String> f = app.function("three-containers", DOCKER.maxContainers(3).mount(folder, "/files"),
                (Integer x) -> {
                    String hostName = WorkerFiles.hostName();
                    TestFiles.appendLine("/files/hosts", hostName);
                    if (!WorkerFiles.awaitDistinctHosts("/files/hosts", 3, Duration.ofSeconds(60))) {
                        throw new IllegalStateException("Fewer than 3 containers ran inputs within 60 s");
                    }
                    return hostName;
                });

        List<String> hosts = f.map(IntStream.range(0, 9).boxed().toList());

        assertThat(hosts).hasSize(9);
        assertThat(Set.copyOf(hosts)).hasSize(3);
        List<Container> functionContainers = containers.ofFunction("three-containers");
        assertThat(functionContainers).hasSize(3);
        assertThat(functionContainers.stream().map(container -> DockerBackend.shortId(container.getId())))
                .containsExactlyInAnyOrderElementsOf(Set.copyOf(hosts));
    }

    @Test
    void concurrentInputsShareOneContainer() throws Exception {
        // Each input waits inside its JVM until all four run there at the same time.
        Function<String> f = app.function("four-at-once", DOCKER.concurrentInputs(4).maxContainers(4),
                (Integer x) -> WorkerFiles.hostName() + " "
                        + WorkerFiles.meet("four-at-once", 4, Duration.ofSeconds(60)));

        List<FunctionCall<String>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(f.spawn(i));
        }
        List<String> results = new ArrayList<>();
        for (FunctionCall<String> call : calls) {
            results.add(call.get(WAIT));
        }

        String hostName = results.get(0).substring(0, results.get(0).indexOf(' '));
        assertThat(results).containsOnly(hostName + " true");
        assertThat(containers.ofFunction("four-at-once")).hasSize(1);
    }

    @Test
    void workerOutputReachesSink() throws Exception {
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        OutputSink.setCurrent((function, input, stderr, text) ->
                received.add(function + "|" + input + "|" + (stderr ? "err" : "out") + "|" + text));
        try {
            Function<Integer> noisy = app.function("noisy", DOCKER, (Integer x) -> {
                System.out.println("computing " + x);
                System.err.println("warning about " + x);
                return x;
            });

            FunctionCall<Integer> call = noisy.spawn(5);

            assertThat(call.get(WAIT)).isEqualTo(5);
            assertThat(received).containsExactly(
                    "noisy|" + call.objectId() + "|out|computing 5\n",
                    "noisy|" + call.objectId() + "|err|warning about 5\n");
        } finally {
            OutputSink.setCurrent(null);
        }
    }

    @Test
    void clsStateAndHooksInOneContainer() throws Exception {
        Path log = folder.resolve("lifecycle");
        try (Engine own = Engine.embedded(); EngineContainers ownContainers = new EngineContainers(own)) {
            Cls<Counter> counter = App.named("docker-cls", own).cls(Counter.class, DOCKER.mount(folder, "/files"))
                    .withParameters(Map.of("log", "/files/lifecycle"));
            Function<Integer> next = counter.method("next");

            assertThat(next.remote()).isEqualTo(1);
            assertThat(next.remote()).isEqualTo(2);
            assertThat(next.remote()).isEqualTo(3);
            assertThat(counter.<String>method("greet").remote("Ada")).isEqualTo("ready Ada");
            String hostName = counter.<String>method("host").remote();
            assertThat(ownContainers.shortIds()).containsExactly(hostName);
            assertThat(TestFiles.lines(log)).containsExactly("enter " + hostName);

            own.close();

            assertThat(TestFiles.lines(log)).containsExactly("enter " + hostName, "exit " + hostName + " after 3");
            assertThat(ownContainers.all()).isEmpty();
        }
    }

    @Test
    void clsParametersGetSeparateContainers() {
        Cls<Counter> counter = app.cls(Counter.class, DOCKER.mount(folder, "/files"))
                .withParameters(Map.of("log", "/files/lifecycle"));
        Cls<Counter> byTen = counter.withParameters(Map.of("step", 10));

        assertThat(counter.<Integer>method("next").remote()).isEqualTo(1);
        assertThat(byTen.<Integer>method("next").remote()).isEqualTo(10);
        assertThat(byTen.<Integer>method("next").remote()).isEqualTo(20);
        assertThat(counter.<Integer>method("next").remote()).isEqualTo(2);
        String hostOne = counter.<String>method("host").remote();
        String hostTen = byTen.<String>method("host").remote();

        assertThat(hostOne).isNotEqualTo(hostTen);
        assertThat(containers.inspectByHostName(hostOne).getConfig().getLabels())
                .containsEntry(DockerBackend.LABEL_FUNCTION, "Counter");
        assertThat(containers.inspectByHostName(hostTen).getConfig().getLabels())
                .containsEntry(DockerBackend.LABEL_FUNCTION, "Counter");
        assertThat(TestFiles.lines(folder.resolve("lifecycle")))
                .containsExactlyInAnyOrder("enter " + hostOne, "enter " + hostTen);
    }
}
