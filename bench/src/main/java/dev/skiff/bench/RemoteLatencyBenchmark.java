package dev.skiff.bench;

import dev.skiff.App;
import dev.skiff.Engine;
import dev.skiff.Function;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Round-trip latency of a warm {@link Function#remote} call beside an in-process
 * {@link ExecutorService#submit} followed by {@code get()}, both squaring an integer. SampleTime
 * mode records the distribution, so JMH prints p50, p90, p99 and more for each method.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class RemoteLatencyBenchmark {

    /** An engine with one warm worker for the {@code square} function. */
    @State(Scope.Benchmark)
    public static class SkiffState {
        Engine engine;
        Function<Integer> square;
        int input = 4;

        @Setup(Level.Trial)
        public void start() {
            engine = Engine.embedded();
            square = App.named("bench", engine).function("square", (Integer x) -> x * x);
            Integer first = square.remote(input);
            if (first != input * input) {
                throw new IllegalStateException("square.remote(" + input + ") returned " + first + ", expected "
                        + input * input);
            }
        }

        @TearDown(Level.Trial)
        public void stop() {
            engine.close();
        }
    }

    /** A single-thread executor, the in-process baseline. */
    @State(Scope.Benchmark)
    public static class ExecutorState {
        ExecutorService executor;
        int input = 4;

        @Setup(Level.Trial)
        public void start() {
            executor = Executors.newSingleThreadExecutor();
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            executor.shutdownNow();
            executor.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Benchmark
    public Integer skiffRemote(SkiffState state) {
        return state.square.remote(state.input);
    }

    @Benchmark
    public Integer executorSubmit(ExecutorState state) throws InterruptedException, ExecutionException {
        int x = state.input;
        return state.executor.submit(() -> x * x).get();
    }
}
