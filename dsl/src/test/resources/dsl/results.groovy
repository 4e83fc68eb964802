// Results and exceptions whose classes the script defines travel back to the caller as themselves.
def demo = app('results')

class Point implements Serializable {
    int x, y
    String toString() { "($x, $y)" }
}

class OutOfRange extends RuntimeException {
    OutOfRange(String message) { super(message) }
}

def mirror = demo.function('mirror') { int x, int y ->
    if (x < 0) {
        throw new OutOfRange("negative x: $x")
    }
    new Point(x: y, y: x)
}

Point p = mirror.remote(1, 2)
assert p.x == 2 && p.y == 1
assert mirror.starmap([[1, 2], [5, 6]])*.toString() == ['(2, 1)', '(6, 5)']
try {
    mirror.remote(-1, 0)
    assert false : 'expected OutOfRange'
} catch (OutOfRange e) {
    assert e.message == 'negative x: -1'
}
p.toString()
