package dev.skiff.kernel;

import dev.skiff.kernel.connection.ConnectionInfo;
import java.io.IOException;

/** A kernel with the {@link EchoKernelHandler} on free 127.0.0.1 ports, and a client subscribed to IOPub. */
final class KernelFixture implements AutoCloseable {

    static final String KEY = "8c5e6a0e-5d8f-4b52-9e0a-kernel-test-key";

    final EchoKernelHandler handler = new EchoKernelHandler();
    final KernelServer server;
    final TestClient client;

    private KernelFixture(String key) throws IOException {
        server = KernelServer.start(freePorts(key), handler);
        client = new TestClient(server.connection(), key);
        client.awaitIopubSubscribed();
    }

    static KernelFixture start() throws IOException {
        return new KernelFixture(KEY);
    }

    static KernelFixture start(String key) throws IOException {
        return new KernelFixture(key);
    }

    /** Returns a connection on 127.0.0.1 where every port is 0, so the kernel binds free ports. */
    static ConnectionInfo freePorts(String key) {
        return new ConnectionInfo(ConnectionInfo.TCP, "127.0.0.1", 0, 0, 0, 0, 0, key, ConnectionInfo.HMAC_SHA256);
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            server.close();
        }
    }
}
