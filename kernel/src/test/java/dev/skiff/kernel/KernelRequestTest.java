package dev.skiff.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.kernel.connection.ConnectionInfo;
import dev.skiff.kernel.wire.Message;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Request handling of a running kernel: execution output, errors, interrupts, stdin and shutdown. */
@Timeout(30)
class KernelRequestTest {

    private KernelFixture kernel;

    @AfterEach
    void stopKernel() {
        if (kernel != null) {
            kernel.close();
        }
    }

    @Test
    void executeOutputsPrecedeReplyAndIdle() throws Exception {
        kernel = KernelFixture.start();
        TestClient client = kernel.client;

        Message request = client.send(client.shell, "execute_request", execute("hello", false));
        Message reply = client.awaitReply(client.shell, request);
        List<Message> iopub = client.iopubUntilIdle(request);

        assertThat(reply.msgType()).isEqualTo("execute_reply");
        assertThat(reply.content().path("status").asText()).isEqualTo("ok");
        assertThat(reply.content().path("execution_count").asInt()).isEqualTo(1);
        assertThat(iopub).extracting(Message::msgType)
                .containsExactly("status", "execute_input", "stream", "execute_result", "status");
        assertThat(iopub.get(2).content().path("text").asText()).isEqualTo("hello");
        assertThat(iopub.get(3).content().path("data").path("text/plain").asText()).isEqualTo("hello");
        assertThat(date(iopub.get(3))).isBeforeOrEqualTo(date(reply));
        assertThat(date(reply)).isBeforeOrEqualTo(date(iopub.get(4)));
    }

    @Test
    void handlerExceptionBecomesErrorReply() throws Exception {
        kernel = KernelFixture.start();
        TestClient client = kernel.client;

        Message request = client.send(client.shell, "execute_request", execute("fail", false));
        Message reply = client.awaitReply(client.shell, request);
        List<Message> iopub = client.iopubUntilIdle(request);

        assertThat(reply.content().path("status").asText()).isEqualTo("error");
        assertThat(reply.content().path("ename").asText()).isEqualTo("IllegalStateException");
        assertThat(reply.content().path("evalue").asText()).isEqualTo("echo failure requested");
        assertThat(reply.content().path("traceback").size()).isPositive();
        assertThat(iopub).extracting(Message::msgType).contains("error");
    }

    @Test
    void interruptIsServedWhileShellRequestRuns() throws Exception {
        kernel = KernelFixture.start();
        TestClient client = kernel.client;

        Message execute = client.send(client.shell, "execute_request", execute("block", false));
        Message started = client.nextIopubFor(execute);
        while (!started.msgType().equals("stream")) {
            started = client.nextIopubFor(execute);
        }
        assertThat(started.content().path("text").asText()).isEqualTo("blocking\n");

        Message interrupt = client.send(client.control, "interrupt_request", JsonNodeFactory.instance.objectNode());
        Message interruptReply = client.awaitReply(client.control, interrupt);
        assertThat(interruptReply.msgType()).isEqualTo("interrupt_reply");
        assertThat(interruptReply.content().path("status").asText()).isEqualTo("ok");

        Message executeReply = client.awaitReply(client.shell, execute);
        assertThat(executeReply.content().path("status").asText()).isEqualTo("error");
        assertThat(executeReply.content().path("evalue").asText()).isEqualTo("interrupted by interrupt_request");
    }

    @Test
    void stdinInputRequestRoundTrip() throws Exception {
        kernel = KernelFixture.start();
        TestClient client = kernel.client;

        Message execute = client.send(client.shell, "execute_request", execute("input:Name? ", true));
        Message inputRequest = client.receive(client.stdin);
        assertThat(inputRequest.msgType()).isEqualTo("input_request");
        assertThat(inputRequest.content().path("prompt").asText()).isEqualTo("Name? ");
        assertThat(inputRequest.content().path("password").asBoolean(true)).isFalse();
        assertThat(TestClient.parentId(inputRequest)).isEqualTo(execute.msgId());

        ObjectNode value = JsonNodeFactory.instance.objectNode();
        value.put("value", "Ada");
        Message inputReply = client.newRequest("input_reply", value);
        inputReply.parentHeader().setAll(inputRequest.header());
        client.send(client.stdin, inputReply);

        Message executeReply = client.awaitReply(client.shell, execute);
        assertThat(executeReply.content().path("status").asText()).isEqualTo("ok");
        List<Message> iopub = client.iopubUntilIdle(execute);
        assertThat(iopub).filteredOn(message -> message.msgType().equals("stream"))
                .extracting(message -> message.content().path("text").asText())
                .containsExactly("Ada");
    }

    @Test
    void stdinIsRejectedWhenRequestDisallowsIt() throws Exception {
        kernel = KernelFixture.start();
        TestClient client = kernel.client;

        Message execute = client.send(client.shell, "execute_request", execute("input:Name? ", false));
        Message reply = client.awaitReply(client.shell, execute);

        assertThat(reply.content().path("status").asText()).isEqualTo("error");
        assertThat(reply.content().path("ename").asText()).isEqualTo("StdinNotAllowedException");
        assertThat(reply.content().path("evalue").asText()).contains("allow_stdin false");
    }

    @Test
    void shutdownClosesEverySocketAndThread() throws Exception {
        kernel = KernelFixture.start();
        TestClient client = kernel.client;
        ConnectionInfo bound = kernel.server.connection();

        Message shutdown = client.send(client.control, "shutdown_request", restart(false));
        Message reply = client.awaitReply(client.control, shutdown);
        List<Message> iopub = client.iopubUntilIdle(shutdown);

        assertThat(reply.msgType()).isEqualTo("shutdown_reply");
        assertThat(reply.content().path("status").asText()).isEqualTo("ok");
        assertThat(reply.content().path("restart").asBoolean(true)).isFalse();
        assertThat(iopub).extracting(Message::msgType).containsExactly("status", "status");
        assertThat(kernel.handler.shutDown.getCount()).as("handler shutdown calls pending").isZero();
        assertThat(kernel.server.awaitTermination(Duration.ofSeconds(5))).as("kernel terminated").isTrue();
        assertThat(kernelThreads()).isEmpty();
        for (int port : List.of(bound.shellPort(), bound.iopubPort(), bound.stdinPort(), bound.controlPort(),
                bound.hbPort())) {
            try (ServerSocket rebind = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
                assertThat(rebind.getLocalPort()).as("port %d is free again", port).isEqualTo(port);
            }
        }
    }

    @Test
    void startFailsCleanlyWhenPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            ConnectionInfo free = KernelFixture.freePorts(KernelFixture.KEY);
            ConnectionInfo clash = free.withPorts(taken.getLocalPort(), 0, 0, 0, 0);

            assertThatThrownBy(() -> KernelServer.start(clash, new EchoKernelHandler()))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("skiff-kernel-shell");
        }
        assertThat(kernelThreads()).isEmpty();
    }

    private static ObjectNode execute(String code, boolean allowStdin) {
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        content.put("code", code);
        content.put("silent", false);
        content.put("store_history", true);
        content.putObject("user_expressions");
        content.put("allow_stdin", allowStdin);
        content.put("stop_on_error", true);
        return content;
    }

    private static ObjectNode restart(boolean restart) {
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        content.put("restart", restart);
        return content;
    }

    private static List<String> kernelThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith(KernelServer.THREAD_NAME_PREFIX))
                .toList();
    }

    private static OffsetDateTime date(Message message) {
        return OffsetDateTime.parse(message.header().path("date").asText());
    }
}
