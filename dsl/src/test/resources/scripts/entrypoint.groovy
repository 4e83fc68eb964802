// A local entrypoint whose parameters come from the command line.
def demo = app('entrypoint')
def repeat = demo.function('repeat') { String word, int times -> ([word] * times).join(' ') }

localEntrypoint { int times, String word = 'skiff', boolean shout ->
    String text = repeat.remote(word, times)
    println shout ? text.toUpperCase() : text
}
