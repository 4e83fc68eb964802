package dev.skiff.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.skiff.SkiffException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * A client for one Docker daemon, configured the Docker way: {@code DOCKER_HOST} (a unix socket or
 * {@code tcp://HOST:PORT}), {@code DOCKER_TLS_VERIFY} and {@code DOCKER_CERT_PATH}, or the current
 * Docker context. The API version is left to the daemon, so older daemons (API 1.41) work.
 */
public final class DockerConnection implements AutoCloseable {
    private final DockerClient client;
    private final URI host;

    private DockerConnection(DockerClient client, URI host) {
        this.client = client;
        this.host = host;
    }

    /**
     * Connects to the daemon that the environment names and checks that it responds.
     *
     * @throws SkiffException naming the {@code DOCKER_HOST} tried when the daemon does not respond
     */
    public static DockerConnection fromEnvironment() {
        DockerClientConfig config;
        try {
            config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        } catch (RuntimeException e) {
            throw new SkiffException("Cannot read the Docker settings (DOCKER_HOST=" + setting("DOCKER_HOST")
                    + ", DOCKER_CERT_PATH=" + setting("DOCKER_CERT_PATH") + "): " + e.getMessage(), e);
        }
        URI host = config.getDockerHost();
        DockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(host)
                .sslConfig(config.getSSLConfig())
                .maxConnections(256)
                .connectionTimeout(Duration.ofSeconds(5))
                .build();
        DockerConnection connection = new DockerConnection(DockerClientImpl.getInstance(config, http), host);
        connection.ping();
        return connection;
    }

    private void ping() {
        try {
            client.pingCmd().exec();
        } catch (RuntimeException e) {
            close();
            throw new SkiffException("Cannot reach the Docker daemon at " + host + " (" + source() + "): "
                    + rootMessage(e) + ". Start the daemon (as root: scripts/docker-engine.sh start) or set DOCKER_HOST "
                    + "to one that runs, with DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH for a TLS port.", e);
        }
    }

    /** Returns the Docker settings in force now, which name one daemon and how to reach it. */
    static String settingsKey() {
        return setting("DOCKER_HOST") + "|" + setting("DOCKER_TLS_VERIFY") + "|" + setting("DOCKER_CERT_PATH") + "|"
                + setting("DOCKER_CONTEXT") + "|" + setting("DOCKER_CONFIG");
    }

    /** Says where the daemon's address came from, as the Docker settings are read. */
    private static String source() {
        if (setting("DOCKER_HOST") != null) {
            return "from DOCKER_HOST";
        }
        if (setting("DOCKER_CONTEXT") != null) {
            return "from the Docker context " + setting("DOCKER_CONTEXT");
        }
        return "DOCKER_HOST is unset, so the current Docker context or the default socket";
    }

    /** Returns a Docker setting as docker-java reads it: a system property of that name, else the environment. */
    private static String setting(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            value = System.getenv(name);
        }
        return value == null || value.isBlank() ? null : value;
    }

    public DockerClient client() {
        return client;
    }

    /** Returns the daemon's address, such as {@code unix:///var/run/docker.sock}, for messages. */
    public URI host() {
        return host;
    }

    /** Returns true when the daemon runs on this machine: a unix socket, or TCP on a loopback address. */
    private volatile Boolean nvidiaRuntime;

    public boolean isLocal() {
        return "unix".equals(host.getScheme()) || "127.0.0.1".equals(host.getHost())
                || "localhost".equals(host.getHost()) || "::1".equals(host.getHost());
    }

    /** Returns the host name that ports published by the daemon are reached at. */
    public String publishedHost() {
        return "unix".equals(host.getScheme()) || host.getHost() == null ? "127.0.0.1" : host.getHost();
    }

    public Info info() {
        return client.infoCmd().exec();
    }

    /** Returns true when the daemon has NVIDIA's runtime, which containers need to use GPUs. Queries the daemon once. */
    public boolean hasNvidiaRuntime() {
        Boolean known = nvidiaRuntime;
        if (known == null) {
            Map<String, ?> runtimes = info().getRuntimes();
            known = runtimes != null && runtimes.containsKey("nvidia");
            nvidiaRuntime = known;
        }
        return known;
    }

    /**
     * Returns the daemon's own message from a failed request: the {@code message} field of the JSON
     * body that docker-java puts after "Status NNN: ", or the whole text when there is none.
     */
    static String daemonMessage(DockerException error) {
        String text = error.getMessage() == null ? "" : error.getMessage().strip();
        int body = text.indexOf('{');
        if (body >= 0) {
            try {
                com.fasterxml.jackson.databind.JsonNode message = new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(text.substring(body)).get("message");
                if (message != null && message.isTextual()) {
                    return message.asText();
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                // Not JSON after all: keep the whole text.
            }
        }
        return text;
    }

    /** Returns the innermost message of a failure, which for network errors names what went wrong. */
    static String rootMessage(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message.strip());
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            // Closing the HTTP client releases its connections, and no request is pending then.
        }
    }
}
