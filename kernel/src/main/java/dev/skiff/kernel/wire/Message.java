package dev.skiff.kernel.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * One Jupyter message: routing identities, the four JSON parts as Jackson trees, and binary buffers.
 *
 * <p>The lists are copied, but the byte arrays and trees are shared, so callers must not change them after
 * handing the message to another thread.
 *
 * @param identities ZeroMQ routing frames before the {@code <IDS|MSG>} delimiter; the topic on IOPub
 * @param buffers raw frames after the content, such as binary payloads of comm messages
 */
public record Message(
        List<byte[]> identities,
        ObjectNode header,
        ObjectNode parentHeader,
        ObjectNode metadata,
        ObjectNode content,
        List<byte[]> buffers) {

    public Message {
        identities = List.copyOf(identities);
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(parentHeader, "parentHeader");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(content, "content");
        buffers = List.copyOf(buffers);
    }

    /** Returns {@code header.msg_id}, or an empty string when it is absent. */
    public String msgId() {
        return header.path("msg_id").asText("");
    }

    /** Returns {@code header.msg_type}, or an empty string when it is absent. */
    public String msgType() {
        return header.path("msg_type").asText("");
    }
}
