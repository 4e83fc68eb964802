package dev.skiff.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.kernel.wire.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A cell run on a test kernel: its execute reply and the IOPub messages up to idle. */
record ExecutedCell(JsonNode reply, List<Message> iopub) {
    /** Runs {@code code} on {@code kernel} and waits at most {@code timeout} for the reply. */
    static ExecutedCell run(KernelProcess kernel, String code, Duration timeout) {
        TestClient client = kernel.client;
        Message request = client.send(client.shell, "execute_request", KernelProcess.execute(code, false));
        Message reply = client.awaitReply(client.shell, request, timeout);
        return new ExecutedCell(reply.content(), client.iopubUntilIdle(request));
    }

    String status() {
        return reply.path("status").asText();
    }

    String label() {
        return "[" + reply.path("execution_count").asInt() + "]";
    }

    String ename() {
        return reply.path("ename").asText();
    }

    String evalue() {
        return reply.path("evalue").asText();
    }

    List<String> traceback() {
        List<String> lines = new ArrayList<>();
        reply.path("traceback").forEach(line -> lines.add(line.asText()));
        return lines;
    }

    /** Returns the error as one text, for assertion descriptions. */
    String error() {
        return ename() + ": " + evalue() + "\n" + String.join("\n", traceback());
    }

    String stdout() {
        return JavaKernelTest.streams(iopub, "stdout");
    }

    List<String> outputTypes() {
        return iopub.stream().map(Message::msgType).toList();
    }

    /** Returns the text/plain of the execute_result, or null when there is none. */
    String result() {
        return iopub.stream().filter(m -> m.msgType().equals("execute_result"))
                .map(m -> m.content().path("data").path("text/plain").asText()).findFirst().orElse(null);
    }
}
