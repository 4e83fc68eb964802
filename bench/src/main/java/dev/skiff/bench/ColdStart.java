package dev.skiff.bench;

import dev.skiff.App;
import dev.skiff.Engine;
import dev.skiff.Function;

/**
 * Measures the first {@link Function#remote} call on a fresh engine, which includes starting the
 * worker JVM, loading the function in it and the round trip. Each run starts a new engine,
 * registers the function, times the first call and closes the engine, so every call starts a new
 * worker. One untimed run first loads the engine's classes in this JVM.
 *
 * <p>Reported per run: {@code remote} is the first call alone, worker start included, and
 * {@code total} adds starting the engine and registering the function.
 *
 * <p>Arguments: {@code [runs]}, default 10.
 */
public final class ColdStart {
    private ColdStart() {
    }

    public static void main(String[] args) throws InterruptedException {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;

        long[] untimed = coldCall();
        System.out.printf("untimed first run in this JVM: remote %.1f ms, total %.1f ms%n",
                BenchSupport.millis(untimed[0]), BenchSupport.millis(untimed[1]));

        double[] remoteMillis = new double[runs];
        double[] totalMillis = new double[runs];
        for (int run = 0; run < runs; run++) {
            long[] nanos = coldCall();
            remoteMillis[run] = BenchSupport.millis(nanos[0]);
            totalMillis[run] = BenchSupport.millis(nanos[1]);
            System.out.printf("run %d: remote %.1f ms, total %.1f ms%n", run + 1, remoteMillis[run], totalMillis[run]);
        }

        System.out.printf("first remote() over %d runs: median %.1f ms, max %.1f ms (min %.1f ms)%n", runs,
                BenchSupport.median(remoteMillis), BenchSupport.max(remoteMillis), BenchSupport.min(remoteMillis));
        System.out.printf("with engine start and registration: median %.1f ms, max %.1f ms%n",
                BenchSupport.median(totalMillis), BenchSupport.max(totalMillis));
    }

    /** Runs one cold call and returns {remote nanoseconds, total nanoseconds}. */
    private static long[] coldCall() throws InterruptedException {
        long start = System.nanoTime();
        long callStart;
        long end;
        try (Engine engine = Engine.embedded()) {
            Function<Integer> increment = App.named("bench", engine).function("increment", (Integer x) -> x + 1);
            callStart = System.nanoTime();
            Integer result = increment.remote(41);
            end = System.nanoTime();
            if (result != 42) {
                throw new IllegalStateException("increment.remote(41) returned " + result + ", expected 42");
            }
        } finally {
            BenchSupport.requireNoChildProcesses();
        }
        return new long[] {end - callStart, end - start};
    }
}
