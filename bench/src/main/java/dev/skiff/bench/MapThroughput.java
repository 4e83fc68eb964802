package dev.skiff.bench;

import dev.skiff.App;
import dev.skiff.Engine;
import dev.skiff.Function;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Measures {@link Function#map} throughput of a trivial function ({@code x + 1}) in inputs per
 * second. Two untimed maps over the same inputs start the worker pool (default options, so one
 * worker per processor) and warm the JIT in the caller and the workers. Each timed run then maps
 * the inputs once and checks every result.
 *
 * <p>Arguments: {@code [inputs] [runs]}, default 100000 and 5.
 */
public final class MapThroughput {
    private static final int WARMUP_RUNS = 2;

    private MapThroughput() {
    }

    public static void main(String[] args) throws InterruptedException {
        int inputCount = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<Integer> inputs = IntStream.range(0, inputCount).boxed().toList();
        double[] rates = new double[runs];

        try (Engine engine = Engine.embedded()) {
            Function<Integer> increment = App.named("bench", engine).function("increment", (Integer x) -> x + 1);
            for (int i = 0; i < WARMUP_RUNS; i++) {
                long nanos = timedMap(increment, inputs);
                System.out.printf("warm-up %d: %,d inputs in %.0f ms%n", i + 1, inputCount, BenchSupport.millis(nanos));
            }
            System.out.printf("workers: %d%n", engine.workerPids().size());
            for (int run = 0; run < runs; run++) {
                long nanos = timedMap(increment, inputs);
                rates[run] = inputCount / (nanos / 1e9);
                System.out.printf("run %d: %,d inputs in %.0f ms = %,.0f inputs/s%n", run + 1, inputCount,
                        BenchSupport.millis(nanos), rates[run]);
            }
        }
        BenchSupport.requireNoChildProcesses();

        System.out.printf("map throughput over %d runs: median %,.0f inputs/s (min %,.0f, max %,.0f)%n", runs,
                BenchSupport.median(rates), BenchSupport.min(rates), BenchSupport.max(rates));
    }

    /** Maps {@code function} over {@code inputs}, checks each result and returns the elapsed nanoseconds. */
    private static long timedMap(Function<Integer> function, List<Integer> inputs) {
        long start = System.nanoTime();
        List<Integer> results = function.map(inputs);
        long elapsed = System.nanoTime() - start;
        if (results.size() != inputs.size()) {
            throw new IllegalStateException("map returned " + results.size() + " results for " + inputs.size()
                    + " inputs");
        }
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) != inputs.get(i) + 1) {
                throw new IllegalStateException("map result " + i + " is " + results.get(i) + ", expected "
                        + (inputs.get(i) + 1));
            }
        }
        return elapsed;
    }
}
