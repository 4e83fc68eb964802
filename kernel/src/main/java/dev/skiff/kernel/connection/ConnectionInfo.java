package dev.skiff.kernel.connection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Contents of a Jupyter connection file: where the kernel binds its five sockets and how it signs messages.
 *
 * <p>A port of 0 makes the kernel bind a free port; the kernel then reports the chosen ports. Only the
 * {@code tcp} transport and the {@code hmac-sha256} signature scheme are supported. {@link #toString()} never
 * shows the key.
 *
 * @param transport ZeroMQ transport, always {@code tcp}
 * @param ip address the kernel binds, for example {@code 127.0.0.1}
 * @param key HMAC key as written in the file; empty means messages are neither signed nor checked
 * @param signatureScheme always {@code hmac-sha256}
 */
public record ConnectionInfo(
        String transport,
        String ip,
        int shellPort,
        int iopubPort,
        int stdinPort,
        int controlPort,
        int hbPort,
        String key,
        String signatureScheme) {

    public static final String TCP = "tcp";
    public static final String HMAC_SHA256 = "hmac-sha256";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Validates every field and throws {@link IllegalArgumentException} naming the first invalid one. */
    public ConnectionInfo {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(signatureScheme, "signatureScheme");
        if (!TCP.equals(transport)) {
            throw new IllegalArgumentException(
                    "unsupported transport '" + transport + "': only " + TCP + " is supported");
        }
        if (ip.isBlank()) {
            throw new IllegalArgumentException("ip is empty: set it to the address to bind, such as 127.0.0.1");
        }
        checkPort("shell_port", shellPort);
        checkPort("iopub_port", iopubPort);
        checkPort("stdin_port", stdinPort);
        checkPort("control_port", controlPort);
        checkPort("hb_port", hbPort);
        if (!HMAC_SHA256.equals(signatureScheme)) {
            throw new IllegalArgumentException("unsupported signature_scheme '" + signatureScheme
                    + "': only " + HMAC_SHA256 + " is supported");
        }
    }

    /** Reads and validates a connection file, throwing {@link ConnectionFileException} naming the file. */
    public static ConnectionInfo read(Path file) throws IOException {
        String json = Files.readString(file, StandardCharsets.UTF_8);
        try {
            return parse(json);
        } catch (ConnectionFileException e) {
            throw new ConnectionFileException("invalid connection file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses connection file JSON. {@code transport} defaults to {@code tcp}, {@code key} to empty and
     * {@code signature_scheme} to {@code hmac-sha256}; {@code ip} and the five ports are required.
     */
    public static ConnectionInfo parse(String json) throws ConnectionFileException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ConnectionFileException("connection file is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ConnectionFileException("connection file must contain a JSON object");
        }
        try {
            return new ConnectionInfo(
                    optionalText(root, "transport", TCP),
                    requiredText(root, "ip"),
                    requiredPort(root, "shell_port"),
                    requiredPort(root, "iopub_port"),
                    requiredPort(root, "stdin_port"),
                    requiredPort(root, "control_port"),
                    requiredPort(root, "hb_port"),
                    optionalText(root, "key", ""),
                    optionalText(root, "signature_scheme", HMAC_SHA256));
        } catch (IllegalArgumentException e) {
            throw new ConnectionFileException(e.getMessage(), e);
        }
    }

    /** Returns the ZeroMQ endpoint for a port, with {@code *} in place of port 0. */
    public String endpoint(int port) {
        return transport + "://" + ip + ":" + (port == 0 ? "*" : Integer.toString(port));
    }

    /** Returns a copy with other ports, used to report the ports that were actually bound. */
    public ConnectionInfo withPorts(int shell, int iopub, int stdin, int control, int hb) {
        return new ConnectionInfo(transport, ip, shell, iopub, stdin, control, hb, key, signatureScheme);
    }

    /** Returns the key as the UTF-8 bytes that Jupyter uses for HMAC. */
    public byte[] keyBytes() {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ConnectionInfo[" + transport + "://" + ip
                + " shell=" + shellPort + " iopub=" + iopubPort + " stdin=" + stdinPort
                + " control=" + controlPort + " hb=" + hbPort
                + " signed=" + !key.isEmpty() + " scheme=" + signatureScheme + "]";
    }

    private static void checkPort(String field, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(field + " must be between 0 and 65535, got " + port);
        }
    }

    private static String requiredText(JsonNode root, String field) throws ConnectionFileException {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new ConnectionFileException("connection file field '" + field + "' is missing");
        }
        if (!node.isTextual()) {
            throw new ConnectionFileException(
                    "connection file field '" + field + "' must be a string, got a JSON " + node.getNodeType());
        }
        return node.asText();
    }

    private static String optionalText(JsonNode root, String field, String defaultValue)
            throws ConnectionFileException {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        return requiredText(root, field);
    }

    private static int requiredPort(JsonNode root, String field) throws ConnectionFileException {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new ConnectionFileException("connection file field '" + field + "' is missing");
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber()) {
            throw new ConnectionFileException(
                    "connection file field '" + field + "' must be an integer port, got " + node);
        }
        return node.intValue();
    }
}
