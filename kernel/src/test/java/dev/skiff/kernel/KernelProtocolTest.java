package dev.skiff.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.kernel.transport.Frames;
import dev.skiff.kernel.wire.Message;
import dev.skiff.kernel.wire.MessageSigner;
import dev.skiff.kernel.wire.WireCodec;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Wire-level behaviour of a running kernel: ordering, headers, signatures, malformed input, heartbeat. */
@Timeout(30)
class KernelProtocolTest {

    private KernelFixture kernel;

    @AfterEach
    void stopKernel() {
        if (kernel != null) {
            kernel.close();
        }
    }

    @Test
    void kernelInfoReplyComesBetweenBusyAndIdle() throws Exception {
        kernel = KernelFixture.start();
        TestClient client = kernel.client;

        Message request = client.send(client.shell, "kernel_info_request", JsonNodeFactory.instance.objectNode());
        Message reply = client.awaitReply(client.shell, request);
        List<Message> iopub = client.iopubUntilIdle(request);

        assertThat(reply.msgType()).isEqualTo("kernel_info_reply");
        assertThat(reply.content().path("status").asText()).isEqualTo("ok");
        assertThat(reply.content().path("protocol_version").asText()).isEqualTo("5.3");
        assertThat(reply.content().path("implementation").asText()).isEqualTo("echo");
        assertThat(iopub).hasSize(2);
        assertThat(TestClient.isStatus(iopub.get(0), "busy")).as("first IOPub message is busy").isTrue();
        assertThat(TestClient.isStatus(iopub.get(1), "idle")).as("second IOPub message is idle").isTrue();
        assertThat(date(iopub.get(0))).isBeforeOrEqualTo(date(reply));
        assertThat(date(reply)).isBeforeOrEqualTo(date(iopub.get(1)));
    }

    @Test
    void replyHeaderFollowsProtocol() throws Exception {
        kernel = KernelFixture.start();
        TestClient client = kernel.client;

        Message request = client.send(client.shell, "kernel_info_request", JsonNodeFactory.instance.objectNode());
        Message reply = client.awaitReply(client.shell, request);

        ObjectNode header = reply.header();
        assertThat(UUID.fromString(header.path("msg_id").asText())).isNotNull();
        assertThat(header.path("version").asText()).isEqualTo("5.3");
        assertThat(header.path("session").asText()).isEqualTo(kernel.server.session());
        assertThat(header.path("username").asText()).isEqualTo(TestClient.USERNAME);
        assertThat(date(reply).getOffset()).isNotNull();
        assertThat(reply.parentHeader()).isEqualTo(request.header());
    }

    @Test
    void badSignatureIsDropped() throws Exception {
        kernel = KernelFixture.start();
        TestClient client = kernel.client;
        WireCodec wrongKey = new WireCodec("not-the-kernel-key".getBytes(StandardCharsets.UTF_8));

        Message forged = client.newRequest("kernel_info_request", JsonNodeFactory.instance.objectNode());
        client.sendFrames(client.shell, wrongKey.encode(forged));
        Message good = client.send(client.shell, "kernel_info_request", JsonNodeFactory.instance.objectNode());

        Message reply = client.receive(client.shell);
        assertThat(TestClient.parentId(reply)).isEqualTo(good.msgId());
        List<Message> iopub = client.iopubUntilIdle(good);
        assertThat(iopub).extracting(Message::msgType).containsExactly("status", "status");
    }

    @Test
    void malformedMessagesAreDropped() throws Exception {
        kernel = KernelFixture.start();
        TestClient client = kernel.client;
        MessageSigner signer = new MessageSigner(KernelFixture.KEY.getBytes(StandardCharsets.UTF_8));
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);

        client.sendFrames(client.shell, List.of(bytes("no delimiter here")));
        client.sendFrames(client.shell, List.of(WireCodec.DELIMITER, bytes("signature"), bytes("{}")));
        byte[] invalidJson = bytes("{\"msg_id\": ");
        client.sendFrames(client.shell, signed(signer, invalidJson, empty, empty, empty));
        byte[] noMsgType = bytes("{\"msg_id\": \"" + UUID.randomUUID() + "\"}");
        client.sendFrames(client.shell, signed(signer, noMsgType, empty, empty, empty));
        Message arrayContent = client.newRequest("kernel_info_request", JsonNodeFactory.instance.objectNode());
        byte[] header = bytes(arrayContent.header().toString());
        client.sendFrames(client.shell, signed(signer, header, empty, empty, bytes("[]")));

        Message good = client.send(client.shell, "kernel_info_request", JsonNodeFactory.instance.objectNode());
        Message reply = client.receive(client.shell);
        assertThat(TestClient.parentId(reply)).isEqualTo(good.msgId());
        assertThat(reply.content().path("status").asText()).isEqualTo("ok");
    }

    @Test
    void emptyKeySendsAndAcceptsUnsignedMessages() throws Exception {
        kernel = KernelFixture.start("");
        TestClient client = kernel.client;

        Message request = client.newRequest("kernel_info_request", JsonNodeFactory.instance.objectNode());
        List<byte[]> frames = new ArrayList<>(new WireCodec(new byte[0]).encode(request));
        frames.set(1, bytes("any signature is ignored without a key"));
        client.sendFrames(client.shell, frames);

        List<byte[]> replyFrames = client.receiveFrames(client.shell);
        assertThat(replyFrames.get(0)).isEqualTo(WireCodec.DELIMITER);
        assertThat(replyFrames.get(1)).as("signature frame").isEmpty();
        Message reply = client.decode(replyFrames);
        assertThat(TestClient.parentId(reply)).isEqualTo(request.msgId());
        assertThat(reply.content().path("status").asText()).isEqualTo("ok");
    }

    @Test
    void heartbeatEchoesEveryFrame() throws Exception {
        kernel = KernelFixture.start();
        TestClient client = kernel.client;
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }

        for (int round = 0; round < 3; round++) {
            client.sendFrames(client.heartbeat, List.of(bytes("ping " + round), binary));
            List<byte[]> echo = client.receiveFrames(client.heartbeat);
            assertThat(echo).hasSize(2);
            assertThat(echo.get(0)).isEqualTo(bytes("ping " + round));
            assertThat(echo.get(1)).isEqualTo(binary);
        }
    }

    @Test
    void unknownMsgTypeGetsNoReply() throws Exception {
        kernel = KernelFixture.start();
        TestClient client = kernel.client;

        Message unknown = client.send(client.shell, "frobnicate_request", JsonNodeFactory.instance.objectNode());
        Message known = client.send(client.shell, "kernel_info_request", JsonNodeFactory.instance.objectNode());

        List<Message> iopub = client.iopubUntilIdle(unknown);
        assertThat(iopub).hasSize(2);
        assertThat(TestClient.isStatus(iopub.get(0), "busy")).isTrue();
        assertThat(TestClient.isStatus(iopub.get(1), "idle")).isTrue();
        Message reply = client.receive(client.shell);
        assertThat(TestClient.parentId(reply)).as("first reply answers the known request")
                .isEqualTo(known.msgId());
    }

    @Test
    void commOpenUnknownTargetIsClosed() throws Exception {
        kernel = KernelFixture.start();
        TestClient client = kernel.client;
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        content.put("comm_id", "comm-1");
        content.put("target_name", "no.such.target");
        content.putObject("data");

        Message open = client.send(client.shell, "comm_open", content);
        Message known = client.send(client.shell, "kernel_info_request", JsonNodeFactory.instance.objectNode());

        List<Message> iopub = client.iopubUntilIdle(open);
        assertThat(iopub).extracting(Message::msgType).containsExactly("status", "comm_close", "status");
        assertThat(iopub.get(1).content().path("comm_id").asText()).isEqualTo("comm-1");
        assertThat(TestClient.parentId(client.receive(client.shell))).isEqualTo(known.msgId());
    }

    @Test
    void isCompleteKeepsHandlerStatus() throws Exception {
        kernel = KernelFixture.start();
        TestClient client = kernel.client;
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        content.put("code", "1 +");

        Message request = client.send(client.shell, "is_complete_request", content);
        Message reply = client.awaitReply(client.shell, request);

        assertThat(reply.msgType()).isEqualTo("is_complete_reply");
        assertThat(reply.content().path("status").asText()).isEqualTo("unknown");
    }

    private static List<byte[]> signed(MessageSigner signer, byte[] header, byte[] parent, byte[] metadata,
            byte[] content) {
        return List.of(WireCodec.DELIMITER, signer.sign(header, parent, metadata, content), header, parent,
                metadata, content);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static OffsetDateTime date(Message message) {
        return OffsetDateTime.parse(message.header().path("date").asText());
    }
}
