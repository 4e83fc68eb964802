package dev.skiff.kernel.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MessageFactoryTest {

    private final MessageFactory factory = new MessageFactory("session-7");

    @Test
    void headerHasProtocolFields() {
        ObjectNode header = factory.header("status", JsonNodeFactory.instance.objectNode());

        assertThat(UUID.fromString(header.path("msg_id").asText())).isNotNull();
        assertThat(header.path("session").asText()).isEqualTo("session-7");
        assertThat(header.path("msg_type").asText()).isEqualTo("status");
        assertThat(header.path("version").asText()).isEqualTo("5.3");
        assertThat(header.path("username").asText()).isEqualTo(MessageFactory.DEFAULT_USERNAME);
        assertThat(OffsetDateTime.parse(header.path("date").asText()).getOffset()).isEqualTo(ZoneOffset.UTC);
    }

    @Test
    void replyTakesUsernameAndIdentitiesFromRequest() {
        ObjectNode requestHeader = factory.header("kernel_info_request", JsonNodeFactory.instance.objectNode());
        requestHeader.put("username", "ada");
        Message request = new Message(List.of(bytes("peer")), requestHeader, JsonNodeFactory.instance.objectNode(),
                JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.objectNode(), List.of());

        Message reply = factory.reply(request, "kernel_info_reply", JsonNodeFactory.instance.objectNode());

        assertThat(reply.header().path("username").asText()).isEqualTo("ada");
        assertThat(reply.parentHeader()).isEqualTo(requestHeader);
        assertThat(reply.identities()).containsExactly(bytes("peer"));
        assertThat(reply.msgId()).isNotEqualTo(request.msgId());
    }

    @Test
    void publicationTopicNamesSessionAndType() {
        Message status = factory.publication(null, "status", JsonNodeFactory.instance.objectNode());

        assertThat(status.identities()).containsExactly(bytes("kernel.session-7.status"));
        assertThat(status.parentHeader().isEmpty()).isTrue();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
