// Closures that capture local variables, script variables and script methods, run in workers.
def demo = app('captures')

def factor = 3                 // a local variable: the closure captures it
int offset = 100               // a typed local variable, captured the same way
greeting = 'hello'             // a script variable (binding): copied when the function is defined
def words = ['a', 'bb']        // a captured list

def label(n) {                 // a script method: works in workers too
    "$greeting #$n"
}

def scale = demo.function('scale') { int x -> x * factor + offset }
def describe = demo.function('describe') { int n -> label(n) + ' ' + words.collect { it * n }.join(',') }

assert scale.remote(2) == 106
assert scale.local(2) == 106
assert describe.remote(2) == 'hello #2 aa,bbbb'

// A script variable assigned after the function was defined does not reach the worker.
def late = demo.function('late') { -> lateValue }
lateValue = 'set too late'
try {
    late.remote()
    assert false : 'expected a MissingPropertyException'
} catch (MissingPropertyException e) {
    assert e.message == 'No such property: lateValue in the worker of function late: it was not set when ' +
            'function late was defined; assign it before the function is defined or pass it as an argument.'
}
'captures ok'
