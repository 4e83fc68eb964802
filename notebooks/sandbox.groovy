// Skiff's sandboxes in Groovy: a container that stays up to run commands in, with its files written
// from here, a web server reached through a tunnel, and a snapshot of its filesystem that a second
// sandbox and a function start from. The sandboxes run on the Docker daemon that DOCKER_HOST names.
//
//     ./skiff run notebooks/sandbox.groovy     (a Docker daemon must run; see docs/docker-setup.md)

// A tiny HTTP server in Perl, which every Debian image has: it answers each request with site/index.txt.
def server = '''
use IO::Socket::INET;
my $socket = IO::Socket::INET->new(LocalAddr => '0.0.0.0:8000', Listen => 5, ReuseAddr => 1) or die "listen: $!";
$| = 1;
print "listening\\n";
while (my $client = $socket->accept) {
    while (my $line = <$client>) { last if $line =~ /^\\r?$/ }
    open(my $file, '<', '/site/index.txt') or die;
    my $body = do { local $/; <$file> };
    print $client "HTTP/1.0 200 OK\\r\\nContent-Type: text/plain\\r\\nContent-Length: " . length($body) . "\\r\\n\\r\\n$body";
    close $client;
}
'''

def web = Sandbox.create(ports: [8000], timeout: 300, tags: [example: 'sandbox'])
def snapshot
try {
    web.writeText('/site/index.txt', 'hello from a sandbox\n')
    web.writeText('/site/serve.pl', server)
    println "files: ${web.ls('/site')}"

    def serving = web.exec('perl', '/site/serve.pl')
    println "server: ${serving.stdout().readLine()}"
    def tunnel = web.tunnel(8000)
    println "through the tunnel: ${new URL(tunnel.url() + '/index.txt').text.trim()}"

    def count = web.exec('sh', '-c', 'wc -c < /site/index.txt')
    println "exec: ${count.stdout().text().trim()} bytes (exit ${count.waitFor()})"

    snapshot = SandboxSnapshot.create(web, 'sandbox-example')
} finally {
    web.terminate()
}
println "terminated: exit code ${web.poll()}"

// A new sandbox from the snapshot has the files, and so do functions whose image is the snapshot.
def image = snapshot.deploy('sandbox-example-site')
def copy = Sandbox.create(image: image, timeout: 120)
try {
    println "copy: ${copy.readText('/site/index.txt').trim()}"
} finally {
    copy.terminate()
}

def example = app('sandbox-example', backend: 'docker')
def readSite = example.function('read-site', image: image) { -> new File('/site/index.txt').text.trim() }
println "function: ${readSite.remote()}"

// Snapshots stay on the daemon until deleted.
snapshot.delete()
SandboxSnapshot.fromName('sandbox-example-site').delete()
