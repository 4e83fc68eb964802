// A class defined in the script, registered with app.cls: hooks, state and parameters live in its worker.
def demo = app('classes')

class Counter {
    @Parameter
    String prefix = 'n'
    private int calls
    private List<String> events = []

    @Enter
    void open() {
        events << 'entered'
    }

    @Method
    String next() {
        calls++
        "$prefix$calls"
    }

    @Method
    List<String> history() {
        events + ["calls=$calls"]
    }
}

def counter = demo.cls(Counter, maxContainers: 1)
def next = counter.method('next')
assert [next.remote(), next.remote(), next.remote()] == ['n1', 'n2', 'n3']
assert counter.method('history').remote() == ['entered', 'calls=3']

def other = counter.withParameters(prefix: 'x')
assert other.method('next').remote() == 'x1'                             // its own worker, its own state
assert demo.cls(Counter, [maxContainers: 1]).method('next').local() == 'n1'   // options as a map, run here
'classes ok'
