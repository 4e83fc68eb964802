package dev.skiff.kernel;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.kernel.transport.Frames;
import dev.skiff.kernel.transport.SocketOwner;
import dev.skiff.kernel.wire.InvalidMessageException;
import dev.skiff.kernel.wire.Message;
import dev.skiff.kernel.wire.MessageFactory;
import dev.skiff.kernel.wire.WireCodec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * Serves shell and control requests on the thread that owns the channel's socket.
 *
 * <p>For each request it publishes {@code status: busy}, calls the handler, waits until the handler's IOPub
 * output has been handed to the PUB socket, sends the reply, and then publishes {@code status: idle}. Unknown
 * message types get busy and idle but no reply. After a {@code shutdown_request} it stops the kernel.
 */
final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    /** Maximum wait for IOPub output to be handed over before a reply is sent anyway. */
    private static final Duration IOPUB_FLUSH_TIMEOUT = Duration.ofSeconds(2);

    private final Map<String, RequestRoutes.Route> routes;
    private final WireCodec codec;
    private final MessageFactory factory;
    private final IopubPublisher iopub;
    private final StdinBridge stdin;
    private final DroppedMessageLog drops;
    private final Runnable shutdown;

    Dispatcher(Map<String, RequestRoutes.Route> routes, WireCodec codec, MessageFactory factory,
            IopubPublisher iopub, StdinBridge stdin, DroppedMessageLog drops, Runnable shutdown) {
        this.routes = routes;
        this.codec = codec;
        this.factory = factory;
        this.iopub = iopub;
        this.stdin = stdin;
        this.drops = drops;
        this.shutdown = shutdown;
    }

    /** Returns the inbound handler for the owner of a shell or control socket. */
    SocketOwner.InboundHandler inboundFor(String channel) {
        return (frames, socket) -> onMessage(channel, frames, socket);
    }

    private void onMessage(String channel, List<byte[]> frames, ZMQ.Socket socket) {
        Message request;
        try {
            request = codec.decode(frames);
        } catch (InvalidMessageException e) {
            drops.record(channel, e);
            return;
        }
        dispatch(channel, request, socket);
    }

    private void dispatch(String channel, Message request, ZMQ.Socket socket) {
        iopub.status(request, "busy");
        try {
            RequestRoutes.Route route = routes.get(request.msgType());
            if (route == null) {
                LOG.warn("Ignored unknown msg_type {} on {} (msg_id={})", request.msgType(), channel,
                        request.msgId());
                return;
            }
            ObjectNode reply = callHandler(route, request);
            if (route.replyType() != null) {
                sendReply(channel, socket, request, route.replyType(), reply);
            }
        } finally {
            iopub.status(request, "idle");
        }
        if ("shutdown_request".equals(request.msgType())) {
            shutdown.run();
        }
    }

    private ObjectNode callHandler(RequestRoutes.Route route, Message request) {
        RequestContext context = new RequestContext(request, iopub, stdin);
        ObjectNode reply;
        try {
            reply = route.body().handle(request, context);
        } catch (Exception | StackOverflowError | LinkageError | AssertionError e) {
            LOG.error("Handler for {} failed (msg_id={})", request.msgType(), request.msgId(), e);
            reply = Replies.error(e);
            if ("execute_request".equals(request.msgType())) {
                // Frontends show execution errors from IOPub, so the failure must appear there as well.
                context.error(reply.path("ename").asText(), reply.path("evalue").asText(), Replies.traceback(e));
            }
        } finally {
            if (Thread.interrupted()) {
                LOG.debug("Cleared the interrupt status left by the handler for {}", request.msgType());
            }
        }
        if (reply == null) {
            reply = JsonNodeFactory.instance.objectNode();
        }
        if (!reply.has("status")) {
            reply.put("status", "ok");
        }
        return reply;
    }

    private void sendReply(String channel, ZMQ.Socket socket, Message request, String replyType,
            ObjectNode content) {
        if (!iopub.flush(IOPUB_FLUSH_TIMEOUT)) {
            LOG.warn("IOPub output for {} (msg_id={}) was not sent within {} ms or IOPub is closed. "
                    + "Sending the reply anyway", request.msgType(), request.msgId(), IOPUB_FLUSH_TIMEOUT.toMillis());
        }
        Message reply = factory.reply(request, replyType, content);
        try {
            if (!Frames.send(socket, codec.encode(reply))) {
                LOG.warn("Failed to send {} on {} (parent msg_id={})", replyType, channel, request.msgId());
            }
        } catch (ZMQException e) {
            LOG.warn("Failed to send {} on {} (parent msg_id={})", replyType, channel, request.msgId(), e);
        }
    }
}
