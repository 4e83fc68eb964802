// A script with a syntax error: the closure is never closed.
def demo = app('syntax')
def f = demo.function('f') { int x ->
    x * 2
