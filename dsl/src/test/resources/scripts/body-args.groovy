// A script without an entrypoint: its body gets the command line arguments as args.
def demo = app('body-args')
def lengths = demo.function('lengths') { List<String> words -> words*.length() }
println "args: ${args.toList()}"
println "lengths: ${lengths.remote(args.toList())}"
