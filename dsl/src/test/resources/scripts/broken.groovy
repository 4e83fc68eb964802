// A script that does not compile: the class it creates does not exist.
def demo = app('broken')
def make = demo.function('make') { ->
    new NoSuchThing()
}
println make.remote()
