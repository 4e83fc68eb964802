package dev.skiff.kernel;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The evaluation side of a kernel: one method per Jupyter request type, called by the protocol layer.
 *
 * <p>Methods that return content return the reply's content. The kernel sets {@code status} to "ok" when the
 * content has none and treats {@code null} as empty content; a thrown exception becomes a reply with
 * {@code status} "error" and the exception's class, message and stack trace.
 *
 * <p>Threading: requests on the shell channel arrive one at a time on the shell thread. Requests on the
 * control channel, usually {@link #interrupt} and {@link #shutdown}, arrive on the control thread, possibly
 * while a shell request is still running, so implementations must make those safe to call concurrently with
 * {@link #execute}. The kernel clears the calling thread's interrupt status after each method returns.
 *
 * <p>Request content arguments are the parsed {@code content} of the request, as described by the Jupyter
 * messaging protocol 5.3, and must not be modified.
 */
public interface KernelHandler {

    /**
     * Returns the {@code kernel_info_reply} content: {@code implementation}, {@code implementation_version},
     * {@code language_info} and {@code banner}. The kernel adds {@code protocol_version} when absent.
     */
    ObjectNode kernelInfo(KernelContext context);

    /**
     * Runs {@code execute_request} code and returns the {@code execute_reply} content, which should carry
     * {@code execution_count}. Outputs go through {@code context} while the code runs.
     */
    ObjectNode execute(ObjectNode content, KernelContext context);

    /** Returns {@code complete_reply} content; by default no matches at the cursor. */
    default ObjectNode complete(ObjectNode content, KernelContext context) {
        int cursor = content.path("cursor_pos").asInt(0);
        ObjectNode reply = Replies.ok();
        reply.putArray("matches");
        reply.put("cursor_start", cursor);
        reply.put("cursor_end", cursor);
        reply.putObject("metadata");
        return reply;
    }

    /** Returns {@code inspect_reply} content; by default nothing found. */
    default ObjectNode inspect(ObjectNode content, KernelContext context) {
        ObjectNode reply = Replies.ok();
        reply.put("found", false);
        reply.putObject("data");
        reply.putObject("metadata");
        return reply;
    }

    /**
     * Returns {@code is_complete_reply} content, whose {@code status} is "complete", "incomplete", "invalid"
     * or "unknown" and is kept as given; by default "unknown".
     */
    default ObjectNode isComplete(ObjectNode content, KernelContext context) {
        ObjectNode reply = JsonNodeFactory.instance.objectNode();
        reply.put("status", "unknown");
        return reply;
    }

    /** Returns {@code history_reply} content; by default an empty history. */
    default ObjectNode history(ObjectNode content, KernelContext context) {
        ObjectNode reply = Replies.ok();
        reply.putArray("history");
        return reply;
    }

    /** Returns {@code comm_info_reply} content; by default no open comms. */
    default ObjectNode commInfo(ObjectNode content, KernelContext context) {
        ObjectNode reply = Replies.ok();
        reply.putObject("comms");
        return reply;
    }

    /**
     * Handles {@code comm_open} from the frontend, which gets no reply. By default the target is unknown, so
     * this publishes {@code comm_close} for the comm, as the protocol requires of a kernel without the target.
     */
    default void commOpen(ObjectNode content, KernelContext context) {
        ObjectNode close = JsonNodeFactory.instance.objectNode();
        close.put("comm_id", content.path("comm_id").asText(""));
        close.putObject("data");
        context.publish("comm_close", close);
    }

    /** Handles {@code comm_msg} from the frontend, which gets no reply; ignored by default. */
    default void commMsg(ObjectNode content, KernelContext context) {
    }

    /** Handles {@code comm_close} from the frontend, which gets no reply; ignored by default. */
    default void commClose(ObjectNode content, KernelContext context) {
    }

    /**
     * Stops the code that {@link #execute} is running, if any; called on the control thread. The kernel has
     * already cancelled any pending {@link KernelContext#readInput}. By default does nothing.
     */
    default void interrupt(KernelContext context) {
    }

    /**
     * Releases resources before the kernel stops; called on the control thread. After the reply the kernel
     * closes its sockets whatever this method does, and with {@code restart} the frontend starts a new kernel.
     */
    default void shutdown(boolean restart, KernelContext context) {
    }
}
