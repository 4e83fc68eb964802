// Starts calls that sleep for a minute, for tests that interrupt skiff run.
def demo = app('sleeper')
def nap = demo.function('nap') { int seconds ->
    println "napping"
    Thread.sleep(seconds * 1000L)
    seconds
}
def calls = (1..2).collect { nap.spawn(60) }
println "spawned ${calls.size()} calls"
calls*.get()
