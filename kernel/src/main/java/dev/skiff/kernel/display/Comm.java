package dev.skiff.kernel.display;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.kernel.KernelContext;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A comm: a channel of custom messages between the frontend and code in cells. Register a target
 * with {@link #registerTarget}; when the frontend opens a comm for it, the handler receives the
 * comm and then each of its messages. Frontend requests for unregistered targets are closed.
 */
public final class Comm {
    /** Receives the messages of comms opened for one target. */
    public interface Handler {
        /** Called when the frontend opens a comm, with the {@code data} of its {@code comm_open}. */
        void opened(Comm comm, JsonNode data);

        /** Called for each {@code comm_msg}; ignores it by default. */
        default void message(Comm comm, JsonNode data) {
        }

        /** Called when the frontend closes the comm; does nothing by default. */
        default void closed(Comm comm, JsonNode data) {
        }
    }

    private static final Map<String, Handler> TARGETS = new ConcurrentHashMap<>();
    private static volatile Supplier<KernelContext> publisher = () -> null;

    private final String id;
    private final String target;
    private final Handler handler;
    private volatile boolean open = true;

    Comm(String id, String target, Handler handler) {
        this.id = id;
        this.target = target;
        this.handler = handler;
    }

    /** Registers the handler of comms that the frontend opens with {@code target_name} {@code target}. */
    public static void registerTarget(String target, Handler handler) {
        TARGETS.put(Objects.requireNonNull(target, "target"), Objects.requireNonNull(handler, "handler"));
    }

    /** Removes a target; comms already open stay open. */
    public static void unregisterTarget(String target) {
        TARGETS.remove(target);
    }

    /** Sets how comms find the request to publish under; called by the kernel. */
    public static void publisher(Supplier<KernelContext> current) {
        publisher = current;
    }

    static Handler handler(String target) {
        return TARGETS.get(target);
    }

    public String id() {
        return id;
    }

    public String target() {
        return target;
    }

    public boolean isOpen() {
        return open;
    }

    /** Sends {@code comm_msg} with {@code data} to the frontend. */
    public void send(JsonNode data) {
        publish("comm_msg", data);
    }

    /** Closes the comm and sends {@code comm_close} to the frontend. */
    public void close() {
        if (open) {
            open = false;
            publish("comm_close", JsonNodeFactory.instance.objectNode());
        }
    }

    Handler handler() {
        return handler;
    }

    void closedByFrontend() {
        open = false;
    }

    private void publish(String type, JsonNode data) {
        KernelContext context = publisher.get();
        if (context == null) {
            throw new IllegalStateException("comm " + id + " has no request to publish under yet");
        }
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        content.put("comm_id", id);
        content.set("data", data == null ? JsonNodeFactory.instance.objectNode() : data);
        context.publish(type, content);
    }
}
