package dev.skiff.bench;

import dev.skiff.App;
import dev.skiff.Engine;
import dev.skiff.Function;
import dev.skiff.FunctionOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The Docker backend beside raw Docker, measured in one run: a cold call (a new engine, its
 * container and worker JVM, then one call) beside {@code docker run --rm IMAGE java -version}; the
 * warm round trip beside the local backend's; and {@code map} over 1,000 inputs on 4 containers.
 * Needs a running Docker daemon with the base image, and the {@code docker} command.
 *
 * <p>Usage: {@code DockerBench [coldRuns] [warmCalls]} (defaults 7 and 2000).
 */
public final class DockerBench {
    private static final String IMAGE = "skiff/debian-jre:bookworm";

    private DockerBench() {
    }

    public static void main(String[] args) throws Exception {
        int coldRuns = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int warmCalls = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        FunctionOptions docker = FunctionOptions.defaults().backend("docker");

        // One untimed run builds the worker image for this classpath and loads the engine's classes.
        coldCall(docker);
        double[] cold = new double[coldRuns];
        double[] raw = new double[coldRuns];
        for (int i = 0; i < coldRuns; i++) {
            cold[i] = coldCall(docker);
            raw[i] = dockerRunJavaVersion();
        }
        System.out.printf("cold call, docker backend: median %.0f ms (min %.0f, max %.0f) over %d runs%n",
                BenchSupport.median(cold), BenchSupport.min(cold), BenchSupport.max(cold), coldRuns);
        System.out.printf("docker run --rm %s java -version: median %.0f ms (min %.0f, max %.0f)%n", IMAGE,
                BenchSupport.median(raw), BenchSupport.min(raw), BenchSupport.max(raw));
        System.out.printf("cold ratio: %.2f (goal at most 1.5)%n", BenchSupport.median(cold) / BenchSupport.median(raw));

        double[] warmDocker = warm(docker, warmCalls);
        double[] warmLocal = warm(FunctionOptions.defaults().backend("local"), warmCalls);
        System.out.printf("warm remote(), docker backend: p50 %.0f us, p99 %.0f us over %d calls%n",
                percentile(warmDocker, 50), percentile(warmDocker, 99), warmCalls);
        System.out.printf("warm remote(), local backend: p50 %.0f us, p99 %.0f us over %d calls%n",
                percentile(warmLocal, 50), percentile(warmLocal, 99), warmCalls);
        System.out.printf("warm ratio at p50: %.2f (goal at most 1.2)%n",
                percentile(warmDocker, 50) / percentile(warmLocal, 50));

        mapOnFourContainers(docker);
        BenchSupport.requireNoChildProcesses();
    }

    /** Returns the milliseconds from a new engine's first remote() call to its result. */
    private static double coldCall(FunctionOptions options) {
        try (Engine engine = Engine.embedded()) {
            Function<Integer> square = App.named("bench-cold", engine).function("square", options, (Integer x) -> x * x);
            long started = System.nanoTime();
            int result = square.remote(7);
            long elapsed = System.nanoTime() - started;
            if (result != 49) {
                throw new IllegalStateException("square(7) returned " + result);
            }
            return BenchSupport.millis(elapsed);
        }
    }

    private static double dockerRunJavaVersion() throws IOException, InterruptedException {
        long started = System.nanoTime();
        Process process = new ProcessBuilder("docker", "run", "--rm", IMAGE, "java", "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        int status = process.waitFor();
        long elapsed = System.nanoTime() - started;
        if (status != 0) {
            throw new IllegalStateException("docker run exited with status " + status);
        }
        return BenchSupport.millis(elapsed);
    }

    /** Returns the round trip of {@code calls} warm remote() calls, in microseconds, after 500 untimed ones. */
    private static double[] warm(FunctionOptions options, int calls) {
        try (Engine engine = Engine.embedded()) {
            Function<Integer> square = App.named("bench-warm", engine).function("square", options, (Integer x) -> x * x);
            for (int i = 0; i < 500; i++) {
                square.remote(i);
            }
            double[] micros = new double[calls];
            for (int i = 0; i < calls; i++) {
                long started = System.nanoTime();
                square.remote(i);
                micros[i] = (System.nanoTime() - started) / 1_000.0;
            }
            return micros;
        }
    }

    private static void mapOnFourContainers(FunctionOptions docker) {
        FunctionOptions four = docker.minContainers(4).maxContainers(4);
        try (Engine engine = Engine.embedded()) {
            Function<Integer> increment = App.named("bench-map", engine).function("increment", four, (Integer x) -> x + 1);
            List<Integer> inputs = IntStream.range(0, 1000).boxed().toList();
            // Waits for all four containers: a first map runs while they start.
            increment.map(inputs);
            List<Double> runs = new ArrayList<>();
            for (int run = 0; run < 5; run++) {
                long started = System.nanoTime();
                List<Integer> results = increment.map(inputs);
                runs.add(BenchSupport.millis(System.nanoTime() - started));
                if (results.get(999) != 1000) {
                    throw new IllegalStateException("map returned " + results.get(999) + " for 999");
                }
            }
            double[] times = runs.stream().mapToDouble(Double::doubleValue).toArray();
            System.out.printf("map over 1,000 inputs on 4 warm containers: median %.1f ms (min %.1f, max %.1f) over 5 runs%n",
                    BenchSupport.median(times), BenchSupport.min(times), BenchSupport.max(times));
        }
    }

    private static double percentile(double[] values, int percent) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)];
    }
}
