package dev.skiff.kernel.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Converts between {@link Message} and ZeroMQ frames in the Jupyter wire format:
 * identities, {@code <IDS|MSG>}, signature, header, parent header, metadata, content, buffers.
 *
 * <p>The signature is checked over the four JSON frames exactly as received, before any JSON is parsed.
 * Instances are immutable and thread-safe.
 */
public final class WireCodec {

    /** Frame that separates routing identities from the signed message. */
    public static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);

    private static final int SIGNED_FRAMES = 5;
    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final MessageSigner signer;

    /** Creates a codec that signs with the key; an empty key sends empty signatures and checks none. */
    public WireCodec(byte[] key) {
        this.signer = new MessageSigner(key);
    }

    /** Returns the signer that this codec uses. */
    public MessageSigner signer() {
        return signer;
    }

    /** Serializes and signs a message, returning the frames to send in order. */
    public List<byte[]> encode(Message message) {
        byte[] header = toBytes(message.header());
        byte[] parentHeader = toBytes(message.parentHeader());
        byte[] metadata = toBytes(message.metadata());
        byte[] content = toBytes(message.content());

        List<byte[]> frames = new ArrayList<>(message.identities().size() + 6 + message.buffers().size());
        frames.addAll(message.identities());
        frames.add(DELIMITER);
        frames.add(signer.sign(header, parentHeader, metadata, content));
        frames.add(header);
        frames.add(parentHeader);
        frames.add(metadata);
        frames.add(content);
        frames.addAll(message.buffers());
        return frames;
    }

    /**
     * Verifies and parses received frames.
     *
     * @throws InvalidMessageException when the delimiter or a frame is missing, the signature does not match,
     *     a JSON part is not an object, or the header lacks {@code msg_id} or {@code msg_type}
     */
    public Message decode(List<byte[]> frames) throws InvalidMessageException {
        int delimiter = indexOfDelimiter(frames);
        if (delimiter < 0) {
            throw new InvalidMessageException("missing <IDS|MSG> delimiter in " + frames.size() + " frames",
                    null, null);
        }
        int first = delimiter + 1;
        int signedCount = frames.size() - first;
        if (signedCount < SIGNED_FRAMES) {
            throw new InvalidMessageException("expected at least " + SIGNED_FRAMES
                    + " frames after <IDS|MSG>, got " + signedCount, null, null);
        }
        byte[] signature = frames.get(first);
        byte[] header = frames.get(first + 1);
        byte[] parentHeader = frames.get(first + 2);
        byte[] metadata = frames.get(first + 3);
        byte[] content = frames.get(first + 4);

        if (!signer.verify(signature, header, parentHeader, metadata, content)) {
            JsonNode unverified = readLeniently(header);
            throw new InvalidMessageException("invalid signature",
                    textOrNull(unverified, "msg_id"), textOrNull(unverified, "msg_type"));
        }

        ObjectNode headerNode = parseObject(header, "header", null, null);
        String msgId = textOrNull(headerNode, "msg_id");
        String msgType = textOrNull(headerNode, "msg_type");
        if (msgId == null || msgId.isEmpty()) {
            throw new InvalidMessageException("header has no msg_id", null, msgType);
        }
        if (msgType == null || msgType.isEmpty()) {
            throw new InvalidMessageException("header has no msg_type", msgId, null);
        }
        return new Message(
                frames.subList(0, delimiter),
                headerNode,
                parseObject(parentHeader, "parent_header", msgId, msgType),
                parseObject(metadata, "metadata", msgId, msgType),
                parseObject(content, "content", msgId, msgType),
                frames.subList(first + SIGNED_FRAMES, frames.size()));
    }

    private static int indexOfDelimiter(List<byte[]> frames) {
        for (int i = 0; i < frames.size(); i++) {
            if (Arrays.equals(frames.get(i), DELIMITER)) {
                return i;
            }
        }
        return -1;
    }

    private static ObjectNode parseObject(byte[] json, String part, String msgId, String msgType)
            throws InvalidMessageException {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new InvalidMessageException(part + " is not valid JSON: " + originalMessage(e), msgId, msgType, e);
        }
        if (node == null || !node.isObject()) {
            throw new InvalidMessageException(part + " is not a JSON object", msgId, msgType);
        }
        return (ObjectNode) node;
    }

    private static JsonNode readLeniently(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            return null;
        }
    }

    private static String textOrNull(JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static String originalMessage(IOException e) {
        return e instanceof JsonProcessingException processing ? processing.getOriginalMessage() : e.getMessage();
    }

    private static byte[] toBytes(ObjectNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("failed to serialize a JSON tree", e);
        }
    }
}
