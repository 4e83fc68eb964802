package dev.skiff.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.kernel.wire.Message;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Classes defined in Java cells, run in workers, and the top-level variables their methods read. */
@Timeout(300)
class RemoteCellCodeTest {
    /** Long enough for the first call, which starts a worker JVM. */
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    static Path directory;
    private static KernelProcess kernel;

    @BeforeAll
    static void startKernel() throws Exception {
        kernel = KernelProcess.start(directory);
    }

    @AfterAll
    static void stopKernel() throws Exception {
        if (kernel != null) {
            kernel.close();
        }
    }

    /** A cell's reply and its IOPub messages. */
    private record Cell(JsonNode reply, List<Message> iopub) {
        String status() {
            return reply.path("status").asText();
        }

        String error() {
            return reply.path("ename").asText() + ": " + reply.path("evalue").asText();
        }

        /** Returns the text/plain of the execute_result, or null when there is none. */
        String result() {
            return iopub.stream().filter(m -> m.msgType().equals("execute_result"))
                    .map(m -> m.content().path("data").path("text/plain").asText()).findFirst().orElse(null);
        }
    }

    private static Cell run(String code) {
        TestClient client = kernel.client;
        Message request = client.send(client.shell, "execute_request", KernelProcess.execute(code, false));
        Message reply = client.awaitReply(client.shell, request, REPLY_TIMEOUT);
        return new Cell(reply.content(), client.iopubUntilIdle(request));
    }

    @Test
    void functionCallingClassMethodGetsVariableValue() {
        Cell define = run("int factor = 3;\nclass Scaler { int scale(int x) { return x * factor; } }");
        assertThat(define.status()).as(define.error()).isEqualTo("ok");

        Cell remote = run("Function<Integer> scaled = App.named(\"remote-cells\")"
                + ".function(\"scaled\", (Integer x) -> new Scaler().scale(x));\nscaled.remote(5)");

        assertThat(remote.status()).as(remote.error()).isEqualTo("ok");
        assertThat(remote.result()).isEqualTo("15");
    }

    @Test
    void clsReadingVariablesIsRejectedNamingThem() {
        Cell define = run("int offset = 10;\nString label = \"n\";\n"
                + "public static class Counter {\n"
                + "    @Method public String next(int x) { return label + (x + offset); }\n"
                + "}");
        assertThat(define.status()).as(define.error()).isEqualTo("ok");

        Cell register = run("App.named(\"remote-cells\").cls(Counter.class)");

        assertThat(register.status()).isEqualTo("error");
        assertThat(register.reply().path("ename").asText()).isEqualTo("InvalidException");
        assertThat(register.reply().path("evalue").asText()).isEqualTo("Class Counter reads the top-level variables"
                + " label, offset, but workers of a class registered with cls do not get the values of top-level"
                + " variables and would read 0, false or null. Pass each value to an @Parameter field with"
                + " withParameters, or compute it inside the class.");
    }

    @Test
    void clsReadingVariableThroughMethodIsRejected() {
        Cell define = run("int limit = 4;\nint capped(int x) { return Math.min(x, limit); }\n"
                + "public static class Capper {\n"
                + "    @Method public int cap(int x) { return capped(x); }\n"
                + "}");
        assertThat(define.status()).as(define.error()).isEqualTo("ok");

        Cell register = run("App.named(\"remote-cells\").cls(Capper.class)");

        assertThat(register.reply().path("ename").asText()).isEqualTo("InvalidException");
        assertThat(register.reply().path("evalue").asText()).startsWith("Class Capper reads the top-level variable"
                + " limit, but workers");
    }

    @Test
    void clsWithoutVariablesRunsRemotely() {
        Cell define = run("public static class Doubler {\n"
                + "    @Method public int twice(int x) { return 2 * x; }\n"
                + "}");
        assertThat(define.status()).as(define.error()).isEqualTo("ok");

        Cell remote = run("Cls<Doubler> doubler = App.named(\"remote-cells\").cls(Doubler.class);\n"
                + "doubler.<Integer>method(\"twice\").remote(21)");

        assertThat(remote.status()).as(remote.error()).isEqualTo("ok");
        assertThat(remote.result()).isEqualTo("42");
    }
}
