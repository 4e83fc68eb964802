package dev.skiff.kernel.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireCodecTest {

    private static final byte[] KEY = bytes("secret-key");
    private final MessageFactory factory = new MessageFactory("session-1");
    private final WireCodec codec = new WireCodec(KEY);

    @Test
    void roundTripKeepsEveryPart() throws Exception {
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        content.put("code", "print(\"ünïcode\")");
        Message original = new Message(List.of(bytes("peer-1"), bytes("peer-2")),
                factory.header("execute_request", JsonNodeFactory.instance.objectNode()),
                JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.objectNode().put("tag", 1),
                content, List.of(new byte[] {0, 1, 2}));

        Message decoded = codec.decode(codec.encode(original));

        assertThat(decoded.identities()).containsExactly(bytes("peer-1"), bytes("peer-2"));
        assertThat(decoded.header()).isEqualTo(original.header());
        assertThat(decoded.parentHeader()).isEqualTo(original.parentHeader());
        assertThat(decoded.metadata()).isEqualTo(original.metadata());
        assertThat(decoded.content()).isEqualTo(content);
        assertThat(decoded.buffers()).containsExactly(new byte[] {0, 1, 2});
    }

    @Test
    void signatureMatchesKnownHmacSha256Vector() {
        // Expected value from: printf 'The quick brown fox jumps over the lazy dog' | openssl dgst -sha256 -hmac key
        // The signer hashes the frames as one concatenated byte string.
        MessageSigner signer = new MessageSigner(bytes("key"));

        byte[] signature = signer.sign(bytes("The quick brown fox "), bytes("jumps over "), bytes("the lazy dog"),
                new byte[0]);

        assertThat(new String(signature, StandardCharsets.US_ASCII))
                .isEqualTo("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
    }

    @Test
    void signatureIsCheckedOverFramesAsReceived() throws Exception {
        MessageSigner signer = new MessageSigner(KEY);
        byte[] header = bytes("{ \"msg_id\" : \"m-1\",\n \"msg_type\" : \"kernel_info_request\" }");
        byte[] empty = bytes("{}");
        List<byte[]> frames = List.of(WireCodec.DELIMITER, signer.sign(header, empty, empty, empty), header, empty,
                empty, empty);

        Message decoded = codec.decode(frames);

        assertThat(decoded.msgId()).isEqualTo("m-1");
        assertThat(decoded.msgType()).isEqualTo("kernel_info_request");
    }

    @Test
    void tamperedContentFailsSignature() {
        List<byte[]> frames = new ArrayList<>(codec.encode(request()));
        frames.set(5, bytes("{\"code\": \"tampered\"}"));

        assertThatThrownBy(() -> codec.decode(frames))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessage("invalid signature")
                .satisfies(e -> assertThat(((InvalidMessageException) e).msgType()).isEqualTo("execute_request"));
    }

    @Test
    void wrongKeyFailsSignature() {
        List<byte[]> frames = new WireCodec(bytes("other-key")).encode(request());

        assertThatThrownBy(() -> codec.decode(frames)).hasMessage("invalid signature");
    }

    @Test
    void emptyKeySendsEmptySignatureAndChecksNone() throws Exception {
        WireCodec unsigned = new WireCodec(new byte[0]);
        List<byte[]> frames = new ArrayList<>(unsigned.encode(request()));

        assertThat(frames.get(1)).isEmpty();
        frames.set(1, bytes("deadbeef"));
        assertThat(unsigned.decode(frames).msgType()).isEqualTo("execute_request");
    }

    @Test
    void missingDelimiterIsRejected() {
        assertThatThrownBy(() -> codec.decode(List.of(bytes("a"), bytes("b"))))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("missing <IDS|MSG> delimiter");
    }

    @Test
    void missingFramesAreRejected() {
        List<byte[]> frames = codec.encode(request()).subList(0, 4);

        assertThatThrownBy(() -> codec.decode(frames))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("expected at least 5 frames after <IDS|MSG>, got 3");
    }

    @Test
    void invalidJsonIsRejected() {
        assertThatThrownBy(() -> codec.decode(signed("{\"msg_id\": ", "{}")))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("header is not valid JSON");
    }

    @Test
    void trailingDataAfterJsonIsRejected() {
        assertThatThrownBy(() -> codec.decode(signed("{\"msg_id\": \"m\", \"msg_type\": \"t\"} {}", "{}")))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("header is not valid JSON");
    }

    @Test
    void nonObjectContentIsRejected() {
        assertThatThrownBy(() -> codec.decode(signed("{\"msg_id\": \"m\", \"msg_type\": \"t\"}", "[1]")))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessage("content is not a JSON object");
    }

    @Test
    void headerWithoutMsgTypeIsRejected() {
        assertThatThrownBy(() -> codec.decode(signed("{\"msg_id\": \"m\"}", "{}")))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessage("header has no msg_type");
    }

    private Message request() {
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        content.put("code", "1 + 1");
        return factory.create(List.of(), "execute_request", JsonNodeFactory.instance.objectNode(), content);
    }

    private static List<byte[]> signed(String header, String content) {
        byte[] headerBytes = bytes(header);
        byte[] contentBytes = bytes(content);
        byte[] empty = bytes("{}");
        byte[] signature = new MessageSigner(KEY).sign(headerBytes, empty, empty, contentBytes);
        return List.of(WireCodec.DELIMITER, signature, headerBytes, empty, empty, contentBytes);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
