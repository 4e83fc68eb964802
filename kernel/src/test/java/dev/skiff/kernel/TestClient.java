package dev.skiff.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.kernel.connection.ConnectionInfo;
import dev.skiff.kernel.transport.Frames;
import dev.skiff.kernel.wire.InvalidMessageException;
import dev.skiff.kernel.wire.Message;
import dev.skiff.kernel.wire.WireCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * A Jupyter frontend for tests: DEALER sockets on shell, control and stdin sharing one identity, SUB on IOPub
 * and REQ on the heartbeat. Every receive is bounded by {@link #RECEIVE_TIMEOUT} unless a call gives its own
 * timeout. Use from one thread.
 */
final class TestClient implements AutoCloseable {

    static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(5);
    static final String USERNAME = "tester";

    private final ZMQ.Context context = ZMQ.context(1);
    private final WireCodec codec;
    private final String session = UUID.randomUUID().toString();
    private final List<Message> iopubBacklog = new ArrayList<>();

    final ZMQ.Socket shell;
    final ZMQ.Socket control;
    final ZMQ.Socket stdin;
    final ZMQ.Socket iopub;
    final ZMQ.Socket heartbeat;

    TestClient(ConnectionInfo connection, String key) {
        this.codec = new WireCodec(key.getBytes(StandardCharsets.UTF_8));
        byte[] identity = ("client-" + session).getBytes(StandardCharsets.UTF_8);
        // stdin connects first so that its peer is known to the kernel before any shell request is served.
        stdin = connect(SocketType.DEALER, identity, connection.stdinPort(), connection);
        shell = connect(SocketType.DEALER, identity, connection.shellPort(), connection);
        control = connect(SocketType.DEALER, identity, connection.controlPort(), connection);
        heartbeat = connect(SocketType.REQ, null, connection.hbPort(), connection);
        iopub = context.socket(SocketType.SUB);
        iopub.setLinger(0);
        iopub.subscribe(new byte[0]);
        iopub.connect("tcp://127.0.0.1:" + connection.iopubPort());
    }

    private ZMQ.Socket connect(SocketType type, byte[] identity, int port, ConnectionInfo connection) {
        ZMQ.Socket socket = context.socket(type);
        socket.setLinger(0);
        if (identity != null) {
            socket.setIdentity(identity);
        }
        socket.connect("tcp://" + connection.ip() + ":" + port);
        return socket;
    }

    /**
     * Sends kernel_info_request until IOPub delivers a message, since a PUB socket drops everything sent
     * before the subscription reaches it. Bounded by 50 attempts.
     */
    void awaitIopubSubscribed() {
        for (int attempt = 0; attempt < 50; attempt++) {
            Message request = send(shell, "kernel_info_request", JsonNodeFactory.instance.objectNode());
            awaitReply(shell, request);
            iopub.setReceiveTimeOut(100);
            List<byte[]> frames = Frames.receive(iopub, 0);
            if (frames != null) {
                iopubBacklog.add(decode(frames));
                return;
            }
        }
        fail("IOPub delivered nothing after 50 kernel_info_request round trips");
    }

    /** Builds a request the way a frontend does: fresh msg_id, this client's session and username. */
    Message newRequest(String msgType, ObjectNode content) {
        ObjectNode header = JsonNodeFactory.instance.objectNode();
        header.put("msg_id", UUID.randomUUID().toString());
        header.put("session", session);
        header.put("username", USERNAME);
        header.put("date", OffsetDateTime.now(ZoneOffset.UTC).toString());
        header.put("msg_type", msgType);
        header.put("version", "5.3");
        return new Message(List.of(), header, JsonNodeFactory.instance.objectNode(),
                JsonNodeFactory.instance.objectNode(), content, List.of());
    }

    Message send(ZMQ.Socket socket, String msgType, ObjectNode content) {
        return send(socket, newRequest(msgType, content));
    }

    Message send(ZMQ.Socket socket, Message message) {
        sendFrames(socket, codec.encode(message));
        return message;
    }

    void sendFrames(ZMQ.Socket socket, List<byte[]> frames) {
        assertThat(Frames.send(socket, frames)).as("client send").isTrue();
    }

    /** Receives raw frames or fails after {@link #RECEIVE_TIMEOUT}. */
    List<byte[]> receiveFrames(ZMQ.Socket socket) {
        return receiveFrames(socket, RECEIVE_TIMEOUT);
    }

    /** Receives raw frames or fails after {@code timeout}. */
    List<byte[]> receiveFrames(ZMQ.Socket socket, Duration timeout) {
        socket.setReceiveTimeOut((int) timeout.toMillis());
        List<byte[]> frames = Frames.receive(socket, 0);
        if (frames == null) {
            fail("no message within " + timeout.toMillis() + " ms");
        }
        return frames;
    }

    Message receive(ZMQ.Socket socket) {
        return decode(receiveFrames(socket));
    }

    /** Receives the next message on a DEALER and checks that it replies to {@code request}. */
    Message awaitReply(ZMQ.Socket socket, Message request) {
        return awaitReply(socket, request, RECEIVE_TIMEOUT);
    }

    /** Receives the next message on a DEALER within {@code timeout} and checks that it replies to {@code request}. */
    Message awaitReply(ZMQ.Socket socket, Message request, Duration timeout) {
        Message reply = decode(receiveFrames(socket, timeout));
        assertThat(parentId(reply)).as("parent msg_id of %s", reply.msgType()).isEqualTo(request.msgId());
        return reply;
    }

    /**
     * Collects IOPub messages whose parent is {@code request} up to and including {@code status: idle}.
     * Messages for other parents are skipped.
     */
    List<Message> iopubUntilIdle(Message request) {
        List<Message> collected = new ArrayList<>();
        long deadline = System.nanoTime() + RECEIVE_TIMEOUT.toNanos();
        while (true) {
            Message message = nextIopub(deadline);
            if (!parentId(message).equals(request.msgId())) {
                continue;
            }
            collected.add(message);
            if (isStatus(message, "idle")) {
                return collected;
            }
        }
    }

    /** Returns the next IOPub message whose parent is {@code request}, skipping the others. */
    Message nextIopubFor(Message request) {
        long deadline = System.nanoTime() + RECEIVE_TIMEOUT.toNanos();
        while (true) {
            Message message = nextIopub(deadline);
            if (parentId(message).equals(request.msgId())) {
                return message;
            }
        }
    }

    private Message nextIopub(long deadline) {
        if (!iopubBacklog.isEmpty()) {
            return iopubBacklog.remove(0);
        }
        long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
        if (remainingMillis <= 0) {
            fail("IOPub delivered no expected message within " + RECEIVE_TIMEOUT.toMillis() + " ms");
        }
        iopub.setReceiveTimeOut((int) remainingMillis);
        List<byte[]> frames = Frames.receive(iopub, 0);
        if (frames == null) {
            fail("IOPub delivered no expected message within " + RECEIVE_TIMEOUT.toMillis() + " ms");
        }
        return decode(frames);
    }

    Message decode(List<byte[]> frames) {
        try {
            return codec.decode(frames);
        } catch (InvalidMessageException e) {
            throw new AssertionError("kernel sent an invalid message: " + e.getMessage(), e);
        }
    }

    static String parentId(Message message) {
        return message.parentHeader().path("msg_id").asText("");
    }

    static boolean isStatus(Message message, String state) {
        return message.msgType().equals("status")
                && message.content().path("execution_state").asText().equals(state);
    }

    @Override
    public void close() {
        for (ZMQ.Socket socket : List.of(shell, control, stdin, iopub, heartbeat)) {
            socket.close();
        }
        context.close();
    }
}
