// Skiff's quickstart in Groovy: a function called with remote, local, map and spawn, a class with
// enter and exit hooks that caches results across calls, and 1,000 numbers processed in 10 batches
// with map. Every remote call runs in a worker JVM that the embedded engine starts on this machine.
//
//     ./skiff run notebooks/quickstart.groovy

def quickstart = app('quickstart')

def fibonacci = quickstart.function('fibonacci', timeout: 60) { int n ->
    long a = 0, b = 1
    n.times { (a, b) = [b, a + b] }
    a
}

// Computes Fibonacci numbers with a cache that lives as long as its worker.
class FibonacciCache {
    private Map<Integer, BigInteger> cache
    private int hits

    @Enter
    void warmUp() {
        cache = [0: 0G, 1: 1G]
    }

    @Method
    String fibonacci(int n) {
        if (cache.containsKey(n)) {
            hits++
        }
        compute(n).toString()
    }

    @Method
    int cacheHits() {
        hits
    }

    private BigInteger compute(int n) {
        BigInteger known = cache[n]
        if (known == null) {
            known = compute(n - 1) + compute(n - 2)
            cache[n] = known
        }
        known
    }

    @Exit
    void report() {
        println "cache held ${cache.size()} values"
    }
}

def sumOfSquares = quickstart.function('sum-of-squares') { List<Integer> batch ->
    batch.sum { long x -> x * x }
}

localEntrypoint {
    println "remote: fibonacci(50) = ${fibonacci.remote(50)}"
    println "local:  fibonacci(10) = ${fibonacci.local(10)}"
    println "map:    ${fibonacci.map(1..10)}"
    FunctionCall call = fibonacci.spawn(90)
    println "spawn:  fibonacci(90) = ${call.get()}"

    def cached = quickstart.cls(FibonacciCache, maxContainers: 1)
    def big = cached.method('fibonacci')
    println "class:  fibonacci(200) = ${big.remote(200)}"
    println "class:  fibonacci(150) = ${big.remote(150)}"
    println "class:  cache hits = ${cached.method('cacheHits').remote()}"

    def batches = (1..1000).collate(100)
    List<Long> partials = sumOfSquares.map(batches)
    println "batches: ${partials.size()} batches of 100, sum of squares 1..1000 = ${partials.sum()}"
}
