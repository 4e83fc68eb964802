// Skiff's Docker backend in Groovy: the same kind of function as in quickstart.groovy, run in
// containers on the Docker daemon that DOCKER_HOST names (the local one by default), from an
// image with an extra file, an environment variable and a working folder.
// Run it with: ./skiff run notebooks/docker.groovy (a Docker daemon must be running; see docs/docker-setup.md)

// A file of the caller's that the image carries; an unchanged file keeps the image's layers cached.
def notes = new File(System.getProperty('java.io.tmpdir'), 'skiff-docker-example.txt')
notes.text = 'packed by the caller\n'

def image = Image.debianSlim()
        .env(GREETING: 'hello from the image')
        .workdir('/work')
        .addLocalFile(notes.toPath(), '/work/notes.txt')

def example = app('docker-example', backend: 'docker')

def square = example.function('square', memory: 512) { int x -> x * x }

def describe = example.function('describe', image: image, cpu: 1) { ->
    [System.getenv('GREETING'), new File('notes.txt').text.trim(), new File('/.dockerenv').exists(),
     Runtime.runtime.availableProcessors()].join(' | ')
}

localEntrypoint {
    println "square(7) in a container = ${square.remote(7)}"
    println "squares of 1..5 = ${square.map(1..5)}"
    println "image: ${describe.remote()}"

    // A sandbox: a container that stays up to run commands in, here from the same image.
    def sandbox = Sandbox.create(image: image, timeout: 120, tags: [example: 'docker'])
    try {
        def greeting = sandbox.exec('sh', '-c', 'echo "$GREETING, $(cat notes.txt)"')
        println "sandbox: ${greeting.stdout().text().trim()} (exit ${greeting.waitFor()})"
    } finally {
        sandbox.terminate()
    }
}
