package dev.skiff.examples;

import dev.skiff.App;
import dev.skiff.Cls;
import dev.skiff.Engine;
import dev.skiff.Enter;
import dev.skiff.Exit;
import dev.skiff.Function;
import dev.skiff.FunctionCall;
import dev.skiff.FunctionOptions;
import dev.skiff.Method;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Skiff's quickstart: a function called with remote, map and spawn, a stateful class with enter and
 * exit hooks, and 1,000 items processed in batches of 100. Every call runs in a worker JVM that
 * the embedded engine starts on this machine.
 */
public final class Quickstart {
    private Quickstart() {
    }

    /** Computes Fibonacci numbers with a cache that lives as long as its worker. */
    public static class FibonacciCache {
        private Map<Integer, BigInteger> cache;
        private int hits;

        @Enter
        void warmUp() {
            cache = new HashMap<>();
            cache.put(0, BigInteger.ZERO);
            cache.put(1, BigInteger.ONE);
        }

        @Method
        public String fibonacci(int n) {
            if (cache.containsKey(n)) {
                hits++;
            }
            return compute(n).toString();
        }

        @Method
        public int cacheHits() {
            return hits;
        }

        private BigInteger compute(int n) {
            BigInteger known = cache.get(n);
            if (known != null) {
                return known;
            }
            BigInteger value = compute(n - 1).add(compute(n - 2));
            cache.put(n, value);
            return value;
        }

        @Exit
        void report() {
            System.out.println("cache held " + cache.size() + " values");
        }
    }

    public static void main(String[] args) {
        try (Engine engine = Engine.embedded()) {
            App app = App.named("quickstart", engine);

            Function<Long> fibonacci = app.function("fibonacci", (Integer n) -> {
                long a = 0;
                long b = 1;
                for (int i = 0; i < n; i++) {
                    long next = a + b;
                    a = b;
                    b = next;
                }
                return a;
            });
            System.out.println("remote: fibonacci(50) = " + fibonacci.remote(50));
            System.out.println("local:  fibonacci(10) = " + fibonacci.local(10));
            System.out.println("map:    " + fibonacci.map(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)));
            FunctionCall<Long> call = fibonacci.spawn(90);
            System.out.println("spawn:  fibonacci(90) = " + call.get());

            Cls<FibonacciCache> cached = app.cls(FibonacciCache.class, FunctionOptions.defaults().maxContainers(1));
            Function<String> big = cached.method("fibonacci");
            System.out.println("class:  fibonacci(200) = " + big.remote(200));
            System.out.println("class:  fibonacci(150) = " + big.remote(150));
            System.out.println("class:  cache hits = " + cached.<Integer>method("cacheHits").remote());

            Function<Long> sumOfSquares = app.function("sum-of-squares", (List<Integer> batch) ->
                    batch.stream().mapToLong(x -> (long) x * x).sum());
            List<List<Integer>> batches = new ArrayList<>();
            for (int start = 1; start <= 1000; start += 100) {
                batches.add(IntStream.range(start, start + 100).boxed().toList());
            }
            List<Long> partials = sumOfSquares.map(batches);
            long total = partials.stream().mapToLong(Long::longValue).sum();
            System.out.println("batches: " + partials.size() + " batches of 100, sum of squares 1..1000 = " + total);
        }
    }
}
