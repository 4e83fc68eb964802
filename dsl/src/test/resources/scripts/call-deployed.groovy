// Calls the functions that 'skiff deploy notebooks/quickstart.groovy' deployed, from a new JVM.
def fibonacci = dev.skiff.Function.fromName('quickstart', 'fibonacci')
def sums = dev.skiff.Function.fromName('quickstart', 'sum-of-squares')
println "fibonacci(20) = ${fibonacci.remote(20)}"
println "sums = ${sums.map([1..10, 11..15].collect { it.toList() })}"
