// Ranges and lists as map inputs, spread arguments, starmap, map options and closures of any arity.
def demo = app('inputs')

def square = demo.function('square') { x -> x * x }                    // untyped parameter
def add = demo.function('add') { int a, int b -> a + b }               // two typed parameters
def answer = demo.function('answer') { -> 42 }                         // no parameters
def shout = demo.function('shout') { it.toUpperCase() }                // implicit 'it'
def count = demo.function('count') { Object... items -> items.length }  // varargs
def check = demo.function('check') { int x ->
    if (x == 3) {
        throw new IllegalArgumentException('three')
    }
    x
}

assert square.map(1..5) == [1, 4, 9, 16, 25]                           // a range
assert square.map([2, 4]) == [4, 16]                                   // a list
assert square.map(1..<1) == []                                         // an empty range starts no worker
def pair = [20, 22]
assert add.remote(*pair) == 42                                         // spread
assert add.starmap([[1, 2], [3, 4]]) == [3, 7]
assert answer.remote() == 42
assert shout.remote('hi') == 'HI'
assert count.remote(1, 'two', 3.0) == 3
assert square.map(1..4, orderOutputs: false).sort() == [1, 4, 9, 16]
def results = check.map(1..4, returnExceptions: true)
assert results[0..1] == [1, 2] && results[3] == 4
assert results[2] instanceof IllegalArgumentException && results[2].message == 'three'
assert FunctionCall.gather(square.spawn(3), add.spawn(1, 1)) == [9, 2]

try {
    add.remote(1)
    assert false : 'expected an InvalidException'
} catch (dev.skiff.InvalidException e) {
    assert e.message == 'add takes 2 arguments but remote was called with 1.'
}
'inputs ok'
