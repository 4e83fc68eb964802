package dev.skiff;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The address that reaches a port of a {@link Sandbox} from this machine: a host and a port on the
 * Docker daemon's machine (127.0.0.1 for a local daemon), or the port itself on the local backend.
 *
 * @param host the host name or address to connect to
 * @param port the TCP port to connect to
 */
public record Tunnel(String host, int port) {
    public Tunnel {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not between 1 and 65535");
        }
    }

    /** Returns the tunnel as an HTTP URL, such as {@code http://127.0.0.1:32768}. */
    public String url() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Returns the tunnel as an unresolved socket address. */
    public InetSocketAddress address() {
        return InetSocketAddress.createUnresolved(host, port);
    }
}
