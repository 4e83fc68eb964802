package dev.skiff.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.kernel.wire.Message;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Java kernel in its own JVM: interrupts, output from other threads, stdin, System.exit and Runtime.exit. */
@Timeout(120)
class JavaKernelTest {
    @RegisterExtension
    static final KernelProcessExtension KERNEL = new KernelProcessExtension(Duration.ofSeconds(30));

    @Test
    void interruptStopsTightLoop() {
        TestClient client = KERNEL.get().client;
        Message request = client.send(client.shell, "execute_request", KernelProcess.execute("while (true) { }", false));
        assertThat(client.nextIopubFor(request).msgType()).isEqualTo("status");
        assertThat(client.nextIopubFor(request).msgType()).isEqualTo("execute_input");

        Message interrupt = client.send(client.control, "interrupt_request", JsonNodeFactory.instance.objectNode());
        assertThat(client.awaitReply(client.control, interrupt).content().path("status").asText()).isEqualTo("ok");
        Message reply = client.awaitReply(client.shell, request);
        client.iopubUntilIdle(request);

        assertThat(reply.content().path("status").asText()).isEqualTo("error");
        assertThat(reply.content().path("ename").asText()).isEqualTo("Interrupted");
        assertThat(run("20 + 22").content().path("data").path("text/plain").asText()).isEqualTo("42");
    }

    @Test
    void interruptStopsSleep() {
        TestClient client = KERNEL.get().client;
        Message request = client.send(client.shell, "execute_request", KernelProcess.execute("Thread.sleep(60_000)", false));
        client.nextIopubFor(request);
        client.nextIopubFor(request);
        Message interrupt = client.send(client.control, "interrupt_request", JsonNodeFactory.instance.objectNode());
        client.awaitReply(client.control, interrupt);
        Message reply = client.awaitReply(client.shell, request);
        client.iopubUntilIdle(request);
        assertThat(reply.content().path("ename").asText()).isEqualTo("Interrupted");
    }

    @Test
    void backgroundThreadOutputReachesCell() {
        Message request = KERNEL.get().client.send(KERNEL.get().client.shell, "execute_request", KernelProcess.execute(
                "var worker = new Thread(() -> System.out.println(\"from a thread ✓\"));\n"
                        + "worker.start();\nworker.join();", false));
        KERNEL.get().client.awaitReply(KERNEL.get().client.shell, request);
        String output = streams(KERNEL.get().client.iopubUntilIdle(request), "stdout");
        assertThat(output).isEqualTo("from a thread ✓\n");
    }

    @Test
    void stdinNotAllowedFailsAtOnce() {
        TestClient client = KERNEL.get().client;
        Message request = client.send(client.shell, "execute_request",
                KernelProcess.execute("new java.util.Scanner(System.in).nextLine()", false));
        Message reply = client.awaitReply(client.shell, request);
        client.iopubUntilIdle(request);
        assertThat(reply.content().path("ename").asText()).isEqualTo("StdinNotAllowedException");
        assertThat(reply.content().path("evalue").asText()).contains("allow_stdin false");
    }

    @Test
    void stdinReadsInputReply() {
        TestClient client = KERNEL.get().client;
        Message request = client.send(client.shell, "execute_request",
                KernelProcess.execute("new java.util.Scanner(System.in).nextLine().toUpperCase()", true));
        Message inputRequest = client.receive(client.stdin);
        assertThat(inputRequest.msgType()).isEqualTo("input_request");
        ObjectNode value = JsonNodeFactory.instance.objectNode().put("value", "typed line");
        Message inputReply = client.newRequest("input_reply", value);
        inputReply.parentHeader().setAll(inputRequest.header());
        client.send(client.stdin, inputReply);
        client.awaitReply(client.shell, request);
        List<Message> iopub = client.iopubUntilIdle(request);
        assertThat(iopub).anyMatch(m -> m.msgType().equals("execute_result")
                && m.content().path("data").path("text/plain").asText().equals("\"TYPED LINE\""));
    }

    @Test
    void systemExitKeepsKernelRunning() {
        Message request = KERNEL.get().client.send(KERNEL.get().client.shell, "execute_request",
                KernelProcess.execute("System.exit(3);", false));
        Message reply = KERNEL.get().client.awaitReply(KERNEL.get().client.shell, request);
        KERNEL.get().client.iopubUntilIdle(request);
        assertThat(reply.content().path("ename").asText()).isEqualTo("SystemExit");
        assertThat(KERNEL.get().process.isAlive()).isTrue();
        assertThat(run("\"alive\"").content().path("data").path("text/plain").asText()).isEqualTo("\"alive\"");
    }

    @Test
    void runtimeExitAndHaltKeepKernelRunning() {
        List<List<String>> cases = List.of(
                List.of("Runtime.getRuntime().exit(4);", "Runtime.exit(4)"),
                List.of("Runtime.getRuntime().halt(5);", "Runtime.halt(5)"),
                List.of("java.util.function.IntConsumer halt = Runtime.getRuntime()::halt;\nhalt.accept(6);",
                        "Runtime.halt(6)"),
                List.of("Runnable quit = () -> Runtime.getRuntime().exit(7);\nquit.run();", "Runtime.exit(7)"),
                List.of("void quit(int status) { Runtime.getRuntime().exit(status); }\nquit(8);", "Runtime.exit(8)"));
        for (List<String> exitCase : cases) {
            Message request = KERNEL.get().client.send(KERNEL.get().client.shell, "execute_request",
                    KernelProcess.execute(exitCase.get(0), false));
            Message reply = KERNEL.get().client.awaitReply(KERNEL.get().client.shell, request);
            KERNEL.get().client.iopubUntilIdle(request);

            assertThat(reply.content().path("ename").asText()).as(exitCase.get(0)).isEqualTo("SystemExit");
            assertThat(reply.content().path("evalue").asText()).as(exitCase.get(0)).isEqualTo(exitCase.get(1)
                    + " was called; the cell stopped and the kernel keeps running. Restart the kernel to start over.");
            assertThat(KERNEL.get().process.isAlive()).as(exitCase.get(0)).isTrue();
            assertThat(run("\"alive\"").content().path("data").path("text/plain").asText()).isEqualTo("\"alive\"");
        }
    }

    @Test
    void exitOfNullRuntimeThrowsNullPointerException() {
        Message request = KERNEL.get().client.send(KERNEL.get().client.shell, "execute_request",
                KernelProcess.execute("Runtime none = null;\nnone.halt(1);", false));
        Message reply = KERNEL.get().client.awaitReply(KERNEL.get().client.shell, request);
        KERNEL.get().client.iopubUntilIdle(request);

        assertThat(reply.content().path("ename").asText()).isEqualTo("NullPointerException");
        assertThat(KERNEL.get().process.isAlive()).isTrue();
    }

    @Test
    void compileErrorPointsAtCellLine() {
        Message request = KERNEL.get().client.send(KERNEL.get().client.shell, "execute_request",
                KernelProcess.execute("int a = 1;\nint b = \"two\";", false));
        Message reply = KERNEL.get().client.awaitReply(KERNEL.get().client.shell, request);
        KERNEL.get().client.iopubUntilIdle(request);
        assertThat(reply.content().path("ename").asText()).isEqualTo("CompilationError");
        assertThat(reply.content().path("evalue").asText()).startsWith("line 2, column 9:");
    }

    @Test
    void skiffTypesKeepTheirNames() {
        assertThat(text(run("App.class.getName()"))).isEqualTo("\"dev.skiff.App\"");
        assertThat(text(run("Function.class.getName()"))).isEqualTo("\"dev.skiff.Function\"");
        assertThat(text(run("Image.class.getName()"))).isEqualTo("\"dev.skiff.Image\"");
    }

    @Test
    void packageImportKeepsSkiffNames() {
        run("import java.lang.reflect.*;\n\"imported\"");

        assertThat(text(run("Method.class.getName()"))).isEqualTo("\"dev.skiff.Method\"");
        assertThat(text(run("Field.class.getName()"))).isEqualTo("\"java.lang.reflect.Field\"");
    }

    private static String text(Message result) {
        return result.content().path("data").path("text/plain").asText();
    }

    /** Runs code and returns its execute_result. */
    private static Message run(String code) {
        Message request = KERNEL.get().client.send(KERNEL.get().client.shell, "execute_request", KernelProcess.execute(code, false));
        Message reply = KERNEL.get().client.awaitReply(KERNEL.get().client.shell, request);
        assertThat(reply.content().path("status").asText()).as("status of %s", code).isEqualTo("ok");
        return KERNEL.get().client.iopubUntilIdle(request).stream().filter(m -> m.msgType().equals("execute_result"))
                .findFirst().orElseThrow(() -> new AssertionError("no execute_result for " + code));
    }

    static String streams(List<Message> messages, String name) {
        return messages.stream().filter(m -> m.msgType().equals("stream") && m.content().path("name").asText().equals(name))
                .map(m -> m.content().path("text").asText()).collect(Collectors.joining());
    }
}
