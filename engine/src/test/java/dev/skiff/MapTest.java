package dev.skiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MapTest {
    private static Engine engine;
    private static App app;
    private static Function<Integer> square;

    @BeforeAll
    static void start() {
        engine = Engine.embedded();
        app = App.named("map-test", engine);
        square = app.function("square", (Integer x) -> x * x);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void mapReturnsResultsInInputOrder() {
        assertThat(square.map(List.of(1, 2, 3))).containsExactly(1, 4, 9);
    }

    @Test
    void mapOverTenThousandInputs() {
        List<Integer> inputs = IntStream.range(0, 10_000).boxed().toList();
        List<Integer> results = square.map(inputs);
        assertThat(results).hasSize(10_000);
        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i)).isEqualTo(i * i);
        }
    }

    @Test
    void unorderedMapReturnsEveryResult() {
        Function<Integer> sleepy = app.function("sleepy", FunctionOptions.defaults().maxContainers(2), (Integer ms) -> {
            Thread.sleep(ms);
            return ms;
        });
        List<Integer> results = sleepy.map(List.of(1500, 10, 20), MapOptions.defaults().withOrderOutputs(false));
        assertThat(results).containsExactlyInAnyOrder(1500, 10, 20);
        assertThat(results.get(2)).isEqualTo(1500);
    }

    @Test
    void failingInputRaisesWithoutReturnExceptions() {
        Function<Integer> f = app.function("fails-on-three", (Integer x) -> {
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
        Function<Integer> f = app.function("fails-on-three-slot", (Integer x) -> {
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
    void throwingIteratorSurfacesAtOnce() {
        Iterator<Integer> inputs = new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                if (next == 2) {
                    throw new IllegalStateException("input source broke at item 3");
                }
                return next++;
            }
        };
        long start = System.nanoTime();
        assertThatThrownBy(() -> square.map(inputs, MapOptions.defaults()))
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("input source broke at item 3");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void emptyMapReturnsAtOnce() {
        Function<Integer> neverStarted = app.function("never-started", (Integer x) -> x);
        List<Long> before = engine.workerPids();
        assertThat(neverStarted.map(List.of())).isEmpty();
        assertThat(engine.workerPids()).isEqualTo(before);
    }

    @Test
    void starmapSpreadsTuples() {
        Function<String> join = app.function("join", (String a, Integer b) -> a + "=" + b);
        assertThat(join.starmap(List.of(List.of("a", 1), List.of("b", 2)))).containsExactly("a=1", "b=2");
    }

    @Test
    void forEachRunsEveryInput() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("skiff-foreach", ".txt");
        String path = file.toString();
        Function<Object> record = app.function("record", (Integer x) -> {
            TestFiles.appendLine(path, Integer.toString(x));
            return null;
        });
        record.forEach(List.of(1, 2, 3));
        assertThat(TestFiles.lines(file)).containsExactlyInAnyOrder("1", "2", "3");
        java.nio.file.Files.delete(file);
    }

    @Test
    void thousandSpawnedCallsAreGathered() {
        List<FunctionCall<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            calls.add(square.spawn(i));
        }
        List<Integer> results = FunctionCall.gather(calls);
        assertThat(results).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(results.get(i)).isEqualTo(i * i);
        }
        assertThat(calls.stream().map(FunctionCall::objectId).distinct().count()).isEqualTo(1000);
    }

    @Test
    void gatherRaisesFirstFailure() {
        Function<Integer> f = app.function("gather-fails", (Integer x) -> {
            if (x == 2) {
                throw new IllegalArgumentException("two failed");
            }
            return x;
        });
        assertThatThrownBy(() -> FunctionCall.gather(f.spawn(1), f.spawn(2), f.spawn(3)))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("two failed");
    }

    @Test
    void fromIdFindsSpawnedCall() {
        FunctionCall<Integer> call = square.spawn(12);
        assertThat(call.objectId()).matches("fc-[0-9A-Za-z]{22}");
        FunctionCall<?> found = FunctionCall.fromId(call.objectId());
        assertThat(found).isSameAs(call);
        assertThat(found.get()).isEqualTo(144);
    }

    @Test
    void fromIdOfUnknownCallIsNotFound() {
        assertThatThrownBy(() -> FunctionCall.fromId("fc-missing"))
                .isExactlyInstanceOf(NotFoundException.class)
                .hasMessage("Function call fc-missing not found: ids are valid in the JVM that spawned the call "
                        + "until its engine closes, and a finished call only while something still refers to it.");
    }
}
