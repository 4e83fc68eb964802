package dev.skiff.kernel;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.kernel.wire.Message;
import java.util.List;
import java.util.Objects;

/**
 * The request a {@link KernelHandler} is serving, with the means to publish on IOPub and read from stdin.
 *
 * <p>Every method is thread-safe. Publishing queues the message for the IOPub thread, which sends messages in
 * the order they were queued, with this request as parent. Messages published before the handler returns go
 * out before its reply; later ones still carry this request as parent but may follow {@code status: idle}.
 * Null {@code metadata} arguments mean an empty object.
 */
public interface KernelContext {

    /** Returns the request being served; callers must not modify it. */
    Message request();

    /** Publishes a message of any IOPub type, such as {@code comm_msg}, with {@code content} as given. */
    void publish(String msgType, ObjectNode content);

    /** Returns whether the request's content sets {@code allow_stdin} to true. */
    boolean allowStdin();

    /**
     * Sends an {@code input_request} on stdin to the frontend that sent this request and blocks until its
     * {@code input_reply} arrives.
     *
     * @return the {@code value} the user entered
     * @throws StdinNotAllowedException when the request did not allow stdin
     * @throws java.util.concurrent.CancellationException when an {@code interrupt_request} or shutdown cancels
     *     the wait
     * @throws IllegalStateException when no frontend with this request's identity is connected to stdin
     * @throws InterruptedException when the waiting thread is interrupted
     */
    String readInput(String prompt, boolean password) throws InterruptedException;

    /** Publishes {@code text} on the {@code stdout} or {@code stderr} stream. */
    default void stream(String name, String text) {
        if (!"stdout".equals(name) && !"stderr".equals(name)) {
            throw new IllegalArgumentException("stream name must be stdout or stderr, got '" + name + "'");
        }
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        content.put("name", name);
        content.put("text", text);
        publish("stream", content);
    }

    /**
     * Publishes {@code display_data}; {@code data} maps MIME types to representations, and
     * {@code transientData} may carry a {@code display_id} for later updates or be {@code null}.
     */
    default void displayData(ObjectNode data, ObjectNode metadata, ObjectNode transientData) {
        publish("display_data", displayContent(data, metadata, transientData));
    }

    /**
     * Publishes {@code update_display_data}, which replaces the output with the same {@code display_id}.
     *
     * @throws IllegalArgumentException when {@code transientData} has no {@code display_id}
     */
    default void updateDisplayData(ObjectNode data, ObjectNode metadata, ObjectNode transientData) {
        if (transientData == null || !transientData.path("display_id").isTextual()) {
            throw new IllegalArgumentException("update_display_data needs transient.display_id");
        }
        publish("update_display_data", displayContent(data, metadata, transientData));
    }

    /** Publishes {@code execute_result}, the value of the cell numbered {@code executionCount}. */
    default void executeResult(int executionCount, ObjectNode data, ObjectNode metadata) {
        ObjectNode content = displayContent(data, metadata, null);
        content.put("execution_count", executionCount);
        publish("execute_result", content);
    }

    /** Publishes an {@code error} output; the handler still returns the matching error reply itself. */
    default void error(String ename, String evalue, List<String> traceback) {
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        content.put("ename", ename);
        content.put("evalue", evalue);
        ArrayNode lines = content.putArray("traceback");
        traceback.forEach(lines::add);
        publish("error", content);
    }

    /** Publishes {@code clear_output}; with {@code wait} the frontend clears when the next output arrives. */
    default void clearOutput(boolean wait) {
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        content.put("wait", wait);
        publish("clear_output", content);
    }

    /** Publishes {@code execute_input}, which rebroadcasts the code being run to every frontend. */
    default void executeInput(String code, int executionCount) {
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        content.put("code", code);
        content.put("execution_count", executionCount);
        publish("execute_input", content);
    }

    private static ObjectNode displayContent(ObjectNode data, ObjectNode metadata, ObjectNode transientData) {
        Objects.requireNonNull(data, "data");
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        content.set("data", data);
        content.set("metadata", metadata == null ? JsonNodeFactory.instance.objectNode() : metadata);
        if (transientData != null) {
            content.set("transient", transientData);
        }
        return content;
    }
}
