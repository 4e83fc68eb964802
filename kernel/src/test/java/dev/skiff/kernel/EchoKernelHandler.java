package dev.skiff.kernel;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A handler for protocol tests that echoes code back instead of running it.
 *
 * <p>Code {@code block} waits for an interrupt_request (10 s at most), {@code input:PROMPT} reads a line from
 * stdin and echoes it, {@code fail} throws, and anything else is echoed as a stream and an execute_result.
 */
final class EchoKernelHandler implements KernelHandler {

    static final long BLOCK_TIMEOUT_SECONDS = 10;

    final CountDownLatch interrupted = new CountDownLatch(1);
    final CountDownLatch shutDown = new CountDownLatch(1);
    private final AtomicInteger executionCount = new AtomicInteger();

    @Override
    public ObjectNode kernelInfo(KernelContext context) {
        ObjectNode reply = Replies.ok();
        reply.put("implementation", "echo");
        reply.put("implementation_version", "1.0");
        reply.put("banner", "Echo kernel for protocol tests");
        ObjectNode language = reply.putObject("language_info");
        language.put("name", "echo");
        language.put("version", "1.0");
        language.put("mimetype", "text/plain");
        language.put("file_extension", ".txt");
        return reply;
    }

    @Override
    public ObjectNode execute(ObjectNode content, KernelContext context) {
        String code = content.path("code").asText();
        int count = executionCount.incrementAndGet();
        context.executeInput(code, count);

        if (code.equals("block")) {
            context.stream("stdout", "blocking\n");
            boolean released = await(interrupted);
            ObjectNode reply = Replies.error("Interrupted",
                    released ? "interrupted by interrupt_request" : "no interrupt_request arrived", List.of());
            reply.put("execution_count", count);
            return reply;
        }
        if (code.startsWith("input:")) {
            String value;
            try {
                value = context.readInput(code.substring("input:".length()), false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading input", e);
            }
            context.stream("stdout", value);
            return okReply(count);
        }
        if (code.equals("fail")) {
            throw new IllegalStateException("echo failure requested");
        }

        context.stream("stdout", code);
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("text/plain", code);
        context.executeResult(count, data, null);
        return okReply(count);
    }

    @Override
    public void interrupt(KernelContext context) {
        interrupted.countDown();
    }

    @Override
    public void shutdown(boolean restart, KernelContext context) {
        shutDown.countDown();
    }

    private static ObjectNode okReply(int count) {
        ObjectNode reply = Replies.ok();
        reply.put("execution_count", count);
        reply.putObject("user_expressions");
        return reply;
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(BLOCK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
