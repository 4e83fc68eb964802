// A class registered with app.cls, for running one of its methods with SCRIPT::CLASS.METHOD.
class Adder {
    private int offset

    @Enter
    void start() {
        offset = 100
    }

    @Method
    int add(int a, int b) {
        offset + a + b
    }

    @Method
    String label(String word, boolean shout) {
        shout ? word.toUpperCase() : word
    }
}

def models = app('models')
models.cls(Adder)
