package dev.skiff.kernel.java;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.OutputSink;
import dev.skiff.kernel.KernelContext;
import dev.skiff.kernel.Replies;
import dev.skiff.kernel.display.MimeRenderer;
import dev.skiff.kernel.groovy.GroovyEvaluator;
import dev.skiff.kernel.io.OutputRouter;
import dev.skiff.kernel.jshell.CellResult;
import dev.skiff.kernel.jshell.Evaluator;
import dev.skiff.kernel.magic.MagicException;
import dev.skiff.kernel.magic.Magics;
import dev.skiff.kernel.remote.CellOutputSink;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Serves {@code execute_request}: magics, the cell's Java or Groovy code, its value as
 * {@code execute_result}, errors, {@code user_expressions}, history, and aborting cells queued
 * behind a failed one when {@code stop_on_error} is set. Runs on the shell thread only.
 */
final class CellRunner {
    private final OutputRouter router;
    private final History history;
    private final List<ObjectNode> payloads = new java.util.concurrent.CopyOnWriteArrayList<>();
    private int executionCount;
    /** Execute requests sent before this instant are aborted; set when a cell fails with stop_on_error. */
    private volatile Instant abortBefore;

    CellRunner(OutputRouter router, History history) {
        this.router = router;
        this.history = history;
    }

    ObjectNode execute(ObjectNode content, KernelContext context, Evaluator evaluator, GroovyEvaluator groovy,
            Magics magics) {
        String code = content.path("code").asText("");
        boolean silent = content.path("silent").asBoolean(false);
        boolean storeHistory = content.path("store_history").asBoolean(true) && !silent;
        boolean stopOnError = content.path("stop_on_error").asBoolean(true);

        if (isQueuedBehindFailure(context)) {
            ObjectNode reply = Replies.ok();
            reply.put("status", "aborted");
            reply.put("execution_count", executionCount);
            return reply;
        }
        if (storeHistory) {
            executionCount++;
            history.add(executionCount, code);
        }
        int count = executionCount;
        groovy.clearStop();
        if (!silent) {
            context.executeInput(code, count);
        }

        payloads.clear();
        router.target(context);
        OutputSink.setCurrent(new CellOutputSink(router, context));
        CellResult result;
        try {
            result = run(code, "[" + count + "]", storeHistory ? "$" + count : null, evaluator, groovy, magics);
        } finally {
            router.flush();
            OutputSink.setCurrent(null);
        }

        if (!result.isOk()) {
            context.error(result.ename(), result.evalue(), result.traceback());
            if (stopOnError) {
                abortBefore = Instant.now();
            }
            ObjectNode reply = Replies.error(result.ename(), result.evalue(), result.traceback());
            reply.put("execution_count", count);
            return reply;
        }
        if (result.hasValue() && !silent) {
            context.executeResult(count, render(result.value(), result.valueText()), null);
        }
        ObjectNode reply = Replies.ok();
        reply.put("execution_count", count);
        var payload = reply.putArray("payload");
        for (ObjectNode data : payloads) {
            ObjectNode page = payload.addObject();
            page.put("source", "page");
            page.set("data", data);
            page.put("start", 0);
        }
        payloads.clear();
        ObjectNode expressions = reply.putObject("user_expressions");
        Iterator<Map.Entry<String, JsonNode>> fields = content.path("user_expressions").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            expressions.set(field.getKey(), userExpression(evaluator, field.getValue().asText("")));
        }
        router.flush();
        return reply;
    }

    /** Adds a {@code page} payload to the reply of the running cell. */
    void addPayload(ObjectNode data) {
        payloads.add(data);
    }

    /** Runs the cell; {@code valueName}, such as {@code $3}, keeps the value of a Java cell, and null keeps nothing. */
    private CellResult run(String code, String label, String valueName, Evaluator evaluator, GroovyEvaluator groovy,
            Magics magics) {
        Magics.Cell cell;
        try {
            cell = Magics.parse(code);
            for (Magics.LineMagic magic : cell.lineMagics()) {
                magics.run(magic, System.out);
            }
        } catch (MagicException e) {
            return new CellResult(CellResult.Status.ERROR, false, null, null, "MagicError", e.getMessage(),
                    List.of("MagicError: " + e.getMessage()));
        }
        long started = System.nanoTime();
        CellResult result = Magics.GROOVY.equals(cell.cellMagic()) ? groovy.run(cell.code(), label)
                : evaluator.run(cell.code(), label, valueName);
        if ("time".equals(cell.cellMagic())) {
            router.flush();
            System.out.printf("Wall time: %.1f ms%n", (System.nanoTime() - started) / 1e6);
        }
        return result;
    }

    private ObjectNode userExpression(Evaluator evaluator, String expression) {
        CellResult result = evaluator.evaluateExpression(expression, "[user_expressions]");
        if (!result.isOk()) {
            return Replies.error(result.ename(), result.evalue(), result.traceback());
        }
        ObjectNode value = Replies.ok();
        value.set("data", render(result.value(), result.hasValue() ? result.valueText() : ""));
        value.putObject("metadata");
        return value;
    }

    private static ObjectNode render(Object value, String text) {
        try {
            return MimeRenderer.render(value, text);
        } catch (RuntimeException e) {
            return MimeRenderer.render(text, text);
        }
    }

    /** Returns whether the request was sent before the last failure that had stop_on_error. */
    private boolean isQueuedBehindFailure(KernelContext context) {
        Instant limit = abortBefore;
        if (limit == null) {
            return false;
        }
        try {
            Instant sent = OffsetDateTime.parse(context.request().header().path("date").asText("")).toInstant();
            if (sent.isBefore(limit)) {
                return true;
            }
        } catch (DateTimeParseException e) {
            return false;
        }
        abortBefore = null;
        return false;
    }
}
