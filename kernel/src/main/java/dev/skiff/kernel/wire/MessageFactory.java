package dev.skiff.kernel.wire;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

/**
 * Creates messages with protocol 5.3 headers: a random UUID {@code msg_id}, an ISO 8601 UTC {@code date}, the
 * kernel's {@code session}, and the {@code username} of the parent request.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class MessageFactory {

    public static final String PROTOCOL_VERSION = "5.3";

    /** Username for messages that have no parent request to take it from. */
    public static final String DEFAULT_USERNAME = "kernel";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String session;

    public MessageFactory(String session) {
        if (session == null || session.isEmpty()) {
            throw new IllegalArgumentException("session must not be empty");
        }
        this.session = session;
    }

    /** Creates a factory with a fresh random session id, as each kernel process should have. */
    public static MessageFactory withRandomSession() {
        return new MessageFactory(UUID.randomUUID().toString());
    }

    public String session() {
        return session;
    }

    /** Creates a header; {@code parentHeader} may be empty, and supplies the username when it has one. */
    public ObjectNode header(String msgType, ObjectNode parentHeader) {
        ObjectNode header = NODES.objectNode();
        header.put("msg_id", UUID.randomUUID().toString());
        header.put("session", session);
        header.put("username", parentHeader.path("username").asText(DEFAULT_USERNAME));
        header.put("date", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.now(ZoneOffset.UTC)));
        header.put("msg_type", msgType);
        header.put("version", PROTOCOL_VERSION);
        return header;
    }

    /** Creates a message with empty metadata and no buffers. */
    public Message create(List<byte[]> identities, String msgType, ObjectNode parentHeader, ObjectNode content) {
        return new Message(identities, header(msgType, parentHeader), parentHeader.deepCopy(),
                NODES.objectNode(), content, List.of());
    }

    /** Creates a message addressed to the sender of {@code request}, with the request as parent. */
    public Message reply(Message request, String msgType, ObjectNode content) {
        return create(request.identities(), msgType, request.header(), content);
    }

    /**
     * Creates an IOPub message whose topic is {@code kernel.<session>.<msg_type>}; {@code parent} may be
     * {@code null} for output that belongs to no request.
     */
    public Message publication(Message parent, String msgType, ObjectNode content) {
        ObjectNode parentHeader = parent == null ? NODES.objectNode() : parent.header();
        byte[] topic = ("kernel." + session + "." + msgType).getBytes(StandardCharsets.UTF_8);
        return create(List.of(topic), msgType, parentHeader, content);
    }
}
