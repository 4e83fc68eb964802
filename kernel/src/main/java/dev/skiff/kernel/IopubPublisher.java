package dev.skiff.kernel;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.kernel.transport.Frames;
import dev.skiff.kernel.transport.SocketOwner;
import dev.skiff.kernel.wire.Message;
import dev.skiff.kernel.wire.MessageFactory;
import dev.skiff.kernel.wire.WireCodec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands IOPub messages to the thread that owns the PUB socket. Thread-safe.
 *
 * <p>Messages are serialized on the calling thread, so later changes to a content tree do not affect a
 * message already published, and are sent in the order they were published.
 */
final class IopubPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(IopubPublisher.class);

    private final SocketOwner owner;
    private final WireCodec codec;
    private final MessageFactory factory;

    IopubPublisher(SocketOwner owner, WireCodec codec, MessageFactory factory) {
        this.owner = owner;
        this.codec = codec;
        this.factory = factory;
    }

    /** Queues a message whose parent is {@code parent}, or no request when {@code parent} is null. */
    void publish(Message parent, String msgType, ObjectNode content) {
        Message message = factory.publication(parent, msgType, content);
        List<byte[]> frames = codec.encode(message);
        boolean queued = owner.submit(socket -> {
            if (!Frames.send(socket, frames)) {
                LOG.warn("IOPub dropped {} (msg_id={})", msgType, message.msgId());
            }
        });
        if (!queued) {
            LOG.debug("IOPub is closed; dropped {} (msg_id={})", msgType, message.msgId());
        }
    }

    /** Queues {@code status} with {@code execution_state} "busy" or "idle". */
    void status(Message parent, String executionState) {
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        content.put("execution_state", executionState);
        publish(parent, "status", content);
    }

    /**
     * Waits until every message queued before this call has been handed to the PUB socket. An interrupt
     * does not end the wait early but stays set on return.
     *
     * @return false when the timeout passed first or IOPub is closed
     */
    boolean flush(Duration timeout) {
        CompletableFuture<Void> flushed = new CompletableFuture<>();
        if (!owner.submit(socket -> flushed.complete(null))) {
            return false;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    flushed.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    return true;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (TimeoutException e) {
                    return false;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("IOPub flush marker failed", e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
