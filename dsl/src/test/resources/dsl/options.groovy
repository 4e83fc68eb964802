// Function options as Groovy named arguments: environment, secrets, retries and resources.
def demo = app('options')

def token = Secret.fromMap('api', TOKEN: 's3cr3t')
def lookup = demo.function('lookup', env: [MODE: 'test'], secrets: [token], timeout: 30, memory: 256, cpu: 1,
        scaledownWindow: 2.5, concurrentInputs: 2, maxContainers: 1) { String name ->
    System.getenv(name)
}
assert lookup.remote('MODE') == 'test'
assert lookup.remote('TOKEN') == 's3cr3t'

// Fails on the first attempt, which deletes the marker file, and succeeds on the retry.
def marker = File.createTempFile('skiff-retry', '.txt')
def flaky = demo.function('flaky', retries: Retries.of(maxRetries: 2, initialDelay: 0.1)) { String path ->
    if (new File(path).delete()) {
        throw new IllegalStateException('first attempt')
    }
    'second attempt'
}
assert flaky.remote(marker.path) == 'second attempt'

demo.function('fixed-retries', retries: 3) { -> }
demo.function('map-retries', retries: [maxRetries: 1, backoffCoefficient: 3]) { -> }
demo.function('options-map', [timeout: 10, gpu: ['H100', 'A100-80GB:2']]) { -> }

try {
    demo.function('bad', timeout: 'soon') { -> }
    assert false : 'expected an InvalidException'
} catch (dev.skiff.InvalidException e) {
    assert e.message == "Invalid timeout: 'soon' (String); expected a number."
}
try {
    demo.function('bad', colour: 'red') { -> }
    assert false : 'expected an InvalidException'
} catch (dev.skiff.InvalidException e) {
    assert e.message.startsWith("Unknown option 'colour' for function bad; the options are timeout, retries,")
}
'options ok'
