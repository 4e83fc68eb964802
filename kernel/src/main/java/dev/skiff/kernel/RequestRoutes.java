package dev.skiff.kernel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.kernel.wire.Message;
import dev.skiff.kernel.wire.MessageFactory;
import java.util.HashMap;
import java.util.Map;

/** The table from request {@code msg_type} to the {@link KernelHandler} method that serves it. */
final class RequestRoutes {

    /** Calls the handler for one request and returns the reply content, or null for none. */
    @FunctionalInterface
    interface RouteBody {
        ObjectNode handle(Message request, KernelContext context);
    }

    /**
     * One entry of the table.
     *
     * @param replyType the reply's msg_type, or {@code null} for messages that get no reply, such as comm_msg
     */
    record Route(String replyType, RouteBody body) {
    }

    private RequestRoutes() {
    }

    /** Builds the table for protocol 5.3 shell and control requests. */
    static Map<String, Route> of(KernelHandler handler, StdinBridge stdin) {
        Map<String, Route> routes = new HashMap<>();
        routes.put("kernel_info_request", new Route("kernel_info_reply",
                (request, context) -> withProtocolVersion(handler.kernelInfo(context))));
        routes.put("execute_request", new Route("execute_reply",
                (request, context) -> handler.execute(request.content(), context)));
        routes.put("complete_request", new Route("complete_reply",
                (request, context) -> handler.complete(request.content(), context)));
        routes.put("inspect_request", new Route("inspect_reply",
                (request, context) -> handler.inspect(request.content(), context)));
        routes.put("is_complete_request", new Route("is_complete_reply",
                (request, context) -> handler.isComplete(request.content(), context)));
        routes.put("history_request", new Route("history_reply",
                (request, context) -> handler.history(request.content(), context)));
        routes.put("comm_info_request", new Route("comm_info_reply",
                (request, context) -> handler.commInfo(request.content(), context)));

        routes.put("comm_open", new Route(null, (request, context) -> {
            handler.commOpen(request.content(), context);
            return null;
        }));
        routes.put("comm_msg", new Route(null, (request, context) -> {
            handler.commMsg(request.content(), context);
            return null;
        }));
        routes.put("comm_close", new Route(null, (request, context) -> {
            handler.commClose(request.content(), context);
            return null;
        }));

        routes.put("interrupt_request", new Route("interrupt_reply", (request, context) -> {
            stdin.cancelAll("input request cancelled by interrupt_request " + request.msgId());
            handler.interrupt(context);
            return Replies.ok();
        }));
        routes.put("shutdown_request", new Route("shutdown_reply", (request, context) -> {
            boolean restart = request.content().path("restart").asBoolean(false);
            handler.shutdown(restart, context);
            ObjectNode reply = Replies.ok();
            reply.put("restart", restart);
            return reply;
        }));
        return Map.copyOf(routes);
    }

    private static ObjectNode withProtocolVersion(ObjectNode content) {
        if (content != null && !content.has("protocol_version")) {
            content.put("protocol_version", MessageFactory.PROTOCOL_VERSION);
        }
        return content;
    }
}
