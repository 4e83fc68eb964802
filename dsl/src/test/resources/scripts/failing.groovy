// A function whose helper method raises in the worker for inputs above 2.
def demo = app('failing')

def check(int n) {
    if (n > 2) {
        throw new IllegalStateException("too big: " + n)
    }
    n
}

def explode = demo.function('explode') { int n ->
    check(n)
}

println explode.remote(1)
println explode.remote(5)
println 'not reached'
