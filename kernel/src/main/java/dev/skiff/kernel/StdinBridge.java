package dev.skiff.kernel;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.kernel.transport.Frames;
import dev.skiff.kernel.transport.SocketOwner;
import dev.skiff.kernel.wire.InvalidMessageException;
import dev.skiff.kernel.wire.Message;
import dev.skiff.kernel.wire.MessageFactory;
import dev.skiff.kernel.wire.WireCodec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * Sends {@code input_request} messages on stdin and routes each {@code input_reply} back to the thread that
 * waits for it, matching the reply's parent {@code msg_id}. Thread-safe.
 *
 * <p>The stdin ROUTER socket must use {@code ROUTER_MANDATORY}, so that a request to a frontend that is not
 * connected fails at once instead of waiting forever.
 */
final class StdinBridge {

    private static final Logger LOG = LoggerFactory.getLogger(StdinBridge.class);
    private static final String CHANNEL = "stdin";

    private final WireCodec codec;
    private final MessageFactory factory;
    private final DroppedMessageLog drops;
    private final Map<String, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
    private volatile SocketOwner owner;
    private volatile boolean closed;

    StdinBridge(WireCodec codec, MessageFactory factory, DroppedMessageLog drops) {
        this.codec = codec;
        this.factory = factory;
        this.drops = drops;
    }

    /** Sets the owner of the stdin socket; called once, before the owner starts. */
    void attach(SocketOwner stdinOwner) {
        this.owner = stdinOwner;
    }

    /** Sends an input request to the sender of {@code request} and blocks until the reply or a cancellation. */
    String readInput(Message request, String prompt, boolean password) throws InterruptedException {
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        content.put("prompt", prompt);
        content.put("password", password);
        Message inputRequest = factory.reply(request, "input_request", content);
        List<byte[]> frames = codec.encode(inputRequest);

        CompletableFuture<String> reply = new CompletableFuture<>();
        pending.put(inputRequest.msgId(), reply);
        try {
            if (closed || !owner.submit(socket -> send(socket, frames, inputRequest, reply))) {
                throw new CancellationException("input request cancelled because the kernel is shutting down");
            }
            return reply.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } finally {
            pending.remove(inputRequest.msgId());
        }
    }

    /** Handles a message received on stdin; runs on the stdin owner thread. */
    void onMessage(List<byte[]> frames, ZMQ.Socket socket) {
        Message reply;
        try {
            reply = codec.decode(frames);
        } catch (InvalidMessageException e) {
            drops.record(CHANNEL, e);
            return;
        }
        if (!"input_reply".equals(reply.msgType())) {
            LOG.warn("Ignored {} on stdin (msg_id={}): only input_reply is expected there",
                    reply.msgType(), reply.msgId());
            return;
        }
        String parentId = reply.parentHeader().path("msg_id").asText("");
        CompletableFuture<String> waiting = pending.get(parentId);
        if (waiting == null) {
            LOG.warn("Ignored input_reply {} for input_request {}, which is not pending", reply.msgId(), parentId);
            return;
        }
        waiting.complete(reply.content().path("value").asText(""));
    }

    /** Fails every pending input request with a {@link CancellationException} carrying {@code reason}. */
    void cancelAll(String reason) {
        pending.values().forEach(reply -> reply.completeExceptionally(new CancellationException(reason)));
    }

    /** Cancels pending input requests and rejects new ones. */
    void close() {
        closed = true;
        cancelAll("input request cancelled because the kernel is shutting down");
    }

    private static void send(ZMQ.Socket socket, List<byte[]> frames, Message inputRequest,
            CompletableFuture<String> reply) {
        try {
            if (!Frames.send(socket, frames)) {
                reply.completeExceptionally(new IllegalStateException(
                        "failed to send input_request " + inputRequest.msgId() + " on stdin"));
            }
        } catch (ZMQException e) {
            String detail = e.getErrorCode() == ZMQ.Error.EHOSTUNREACH.getCode()
                    ? "no frontend with the identity of request "
                            + inputRequest.parentHeader().path("msg_id").asText() + " is connected to stdin"
                    : e.getMessage();
            reply.completeExceptionally(new IllegalStateException(
                    "failed to send input_request " + inputRequest.msgId() + ": " + detail, e));
        }
    }
}
