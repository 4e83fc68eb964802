// The workload the skiff launcher runs once per build to record the class data archive that later
// starts map: compiling a script with a closure and a class, and remote, map and class calls.
def training = app('cds-training')

class Greeter {
    @Method
    String greet(String name) {
        "hello, $name"
    }
}

def square = training.function('square', timeout: 60) { int x -> x * x }
assert square.remote(3) == 9
assert square.map(1..4) == [1, 4, 9, 16]
assert training.cls(Greeter).method('greet').remote('cds') == 'hello, cds'
