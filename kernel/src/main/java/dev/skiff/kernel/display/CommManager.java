package dev.skiff.kernel.display;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.kernel.KernelContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Serves the comm requests of the protocol for the kernel, tracking the comms that are open. */
public final class CommManager {
    private static final Logger LOG = LoggerFactory.getLogger(CommManager.class);

    private final Map<String, Comm> open = new ConcurrentHashMap<>();

    /** Opens a comm for a registered target, or publishes {@code comm_close} when the target is unknown. */
    public void open(ObjectNode content, KernelContext context) {
        String id = content.path("comm_id").asText("");
        String target = content.path("target_name").asText("");
        Comm.Handler handler = Comm.handler(target);
        if (handler == null) {
            LOG.info("Closed comm {} because no handler is registered for target {}", id, target);
            ObjectNode close = JsonNodeFactory.instance.objectNode();
            close.put("comm_id", id);
            close.putObject("data");
            context.publish("comm_close", close);
            return;
        }
        Comm comm = new Comm(id, target, handler);
        open.put(id, comm);
        handler.opened(comm, content.path("data"));
    }

    public void message(ObjectNode content) {
        Comm comm = open.get(content.path("comm_id").asText(""));
        if (comm == null) {
            LOG.warn("Ignored comm_msg for comm {}, which is not open", content.path("comm_id").asText(""));
            return;
        }
        comm.handler().message(comm, content.path("data"));
    }

    public void close(ObjectNode content) {
        Comm comm = open.remove(content.path("comm_id").asText(""));
        if (comm != null) {
            comm.closedByFrontend();
            comm.handler().closed(comm, content.path("data"));
        }
    }

    /** Returns the {@code comms} object of a {@code comm_info_reply}, filtered by {@code target_name} when given. */
    public ObjectNode info(JsonNode request) {
        String target = request.path("target_name").asText("");
        ObjectNode comms = JsonNodeFactory.instance.objectNode();
        open.values().removeIf(comm -> !comm.isOpen());
        for (Comm comm : open.values()) {
            if (target.isEmpty() || target.equals(comm.target())) {
                comms.putObject(comm.id()).put("target_name", comm.target());
            }
        }
        return comms;
    }
}
