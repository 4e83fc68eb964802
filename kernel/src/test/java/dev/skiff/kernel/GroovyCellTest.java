package dev.skiff.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.kernel.wire.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code %%groovy} cells on the Java kernel in its own JVM: values, shared variables, remote functions, output and errors. */
@Timeout(300)
class GroovyCellTest {
    /** Long enough for the first Groovy cell, which starts Groovy, and for the first call, which starts a worker JVM. */
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(120);

    @RegisterExtension
    static final KernelProcessExtension KERNEL = new KernelProcessExtension(REPLY_TIMEOUT);

    @Test
    void exitCallsKeepKernelRunning() {
        List<List<String>> cases = List.of(
                List.of("%%groovy\nSystem.exit(3)", "System.exit(3)"),
                List.of("%%groovy\nRuntime.getRuntime().exit(4)", "Runtime.exit(4)"),
                List.of("%%groovy\ndef runtime = Runtime.runtime\n[5].each { runtime.halt(it) }", "Runtime.halt(5)"));
        for (List<String> exitCase : cases) {
            ExecutedCell cell = run(exitCase.get(0));

            assertThat(cell.status()).as(exitCase.get(0)).isEqualTo("error");
            assertThat(cell.ename()).as(exitCase.get(0)).isEqualTo("SystemExit");
            assertThat(cell.evalue()).as(exitCase.get(0)).isEqualTo(exitCase.get(1)
                    + " was called; the cell stopped and the kernel keeps running. Restart the kernel to start over.");
            assertThat(KERNEL.get().process.isAlive()).as(exitCase.get(0)).isTrue();
        }
        assertThat(run("%%groovy\n'still ' + 'here'").result()).isEqualTo("still here");
    }

    @Test
    void valueOfLastExpressionIsResult() {
        ExecutedCell cell = run("%%groovy\n[1, 2, 3].collect { it * 2 }");

        assertThat(cell.status()).isEqualTo("ok");
        assertThat(cell.result()).isEqualTo("[2, 4, 6]");
        assertThat(cell.stdout()).isEmpty();
    }

    @Test
    void stringResultIsUnquoted() {
        assertThat(run("%%groovy\n'ab' * 2").result()).isEqualTo("abab");
    }

    @Test
    void nullResultShowsNothing() {
        ExecutedCell cell = run("%%groovy\nnull");

        assertThat(cell.status()).isEqualTo("ok");
        assertThat(cell.outputTypes()).doesNotContain("execute_result");
    }

    @Test
    void variablesPersistToNextCell() {
        ExecutedCell define = run("%%groovy\ndef greeting = 'hi'\nint times = 3\nseparator = '-'");
        assertThat(define.status()).isEqualTo("ok");

        ExecutedCell read = run("%%groovy\n([greeting] * times).join(separator)");

        assertThat(read.status()).isEqualTo("ok");
        assertThat(read.result()).isEqualTo("hi-hi-hi");
    }

    @Test
    void importsPersistToNextCell() {
        assertThat(run("%%groovy\nimport java.util.concurrent.atomic.AtomicLong").status()).isEqualTo("ok");

        assertThat(run("%%groovy\nnew AtomicLong(41).incrementAndGet()").result()).isEqualTo("42");
    }

    @Test
    void functionRunsInWorker() {
        ExecutedCell define = run("%%groovy\n"
                + "def demo = app('groovy-cells')\n"
                + "square = demo.function('square') { int x ->\n"
                + "    println \"squaring $x\"\n"
                + "    x * x\n"
                + "}\n"
                + "square.remote(7)");
        assertThat(define.status()).as(define.error()).isEqualTo("ok");
        assertThat(define.result()).isEqualTo("49");
        assertThat(define.stdout()).isEqualTo("squaring 7\n");

        ExecutedCell map = run("%%groovy\nsquare.map(1..5)");
        assertThat(map.status()).as(map.error()).isEqualTo("ok");
        assertThat(map.result()).isEqualTo("[1, 4, 9, 16, 25]");
        assertThat(map.outputTypes()).as("progress bar").contains("display_data");

        ExecutedCell spawn = run("%%groovy\nsquare.spawn(12).get()");
        assertThat(spawn.status()).as(spawn.error()).isEqualTo("ok");
        assertThat(spawn.result()).isEqualTo("144");
        assertThat(spawn.stdout()).isEqualTo("squaring 12\n");
    }

    @Test
    void workerExceptionShowsCellFrames() {
        ExecutedCell cell = run("%%groovy\n"
                + "check = app('groovy-cells').function('check') { int n ->\n"
                + "    throw new IllegalArgumentException(\"bad input: $n\")\n"
                + "}\n"
                + "check.remote(3)");

        assertThat(cell.status()).isEqualTo("error");
        assertThat(cell.ename()).isEqualTo("IllegalArgumentException");
        assertThat(cell.evalue()).isEqualTo("bad input: 3");
        assertThat(cell.traceback().get(0)).isEqualTo("java.lang.IllegalArgumentException: bad input: 3");
        assertThat(cell.traceback().get(1)).isEqualTo("    at closure (cell " + cell.label() + ", line 2)");
    }

    @Test
    void printlnGoesToStdout() {
        ExecutedCell cell = run("%%groovy\nprintln 'from groovy'\nprint 6 * 7\nprintln()");

        assertThat(cell.status()).isEqualTo("ok");
        assertThat(cell.stdout()).isEqualTo("from groovy\n42\n");
        assertThat(cell.outputTypes()).doesNotContain("execute_result");
    }

    @Test
    void compileErrorPointsAtCellLine() {
        ExecutedCell cell = run("%%groovy\nx = 1\ny = new NoSuchThing()");

        assertThat(cell.status()).isEqualTo("error");
        assertThat(cell.ename()).isEqualTo("CompilationError");
        assertThat(cell.evalue()).isEqualTo("line 2, column 5: unable to resolve class NoSuchThing");
        assertThat(cell.traceback()).containsExactly(
                "cell " + cell.label() + ", line 2, column 5: error: unable to resolve class NoSuchThing",
                "    y = new NoSuchThing()",
                "        ^");
    }

    @Test
    void syntaxErrorPointsAtCellLine() {
        ExecutedCell cell = run("%%groovy\n\nint n = 1\nn +* 2");

        assertThat(cell.ename()).isEqualTo("CompilationError");
        assertThat(cell.evalue()).isEqualTo("line 3, column 3: Unexpected input: '+'");
    }

    @Test
    void runtimeErrorListsCellFramesFirst() {
        ExecutedCell cell = run("%%groovy\n"
                + "def check(int n) {\n"
                + "    if (n > 2) throw new IllegalStateException(\"too big: \" + n)\n"
                + "    n\n"
                + "}\n"
                + "check(1)\n"
                + "check(5)");

        assertThat(cell.status()).isEqualTo("error");
        assertThat(cell.ename()).isEqualTo("IllegalStateException");
        assertThat(cell.evalue()).isEqualTo("too big: 5");
        assertThat(cell.traceback()).containsExactly(
                "java.lang.IllegalStateException: too big: 5",
                "    at check (cell " + cell.label() + ", line 2)",
                "    at cell " + cell.label() + ", line 6");
    }

    @Test
    void libraryExceptionAddsFullTrace() {
        ExecutedCell cell = run("%%groovy\nInteger.parseInt('seven')");

        assertThat(cell.ename()).isEqualTo("NumberFormatException");
        assertThat(cell.evalue()).isEqualTo("For input string: \"seven\"");
        List<String> traceback = cell.traceback();
        assertThat(traceback.subList(0, 4)).containsExactly(
                "java.lang.NumberFormatException: For input string: \"seven\"",
                "    at cell " + cell.label() + ", line 1",
                "Full stack trace:",
                "java.lang.NumberFormatException: For input string: \"seven\"");
        assertThat(traceback).anyMatch(line -> line.startsWith("    at java.base/java.lang.Integer.parseInt("));
        assertThat(traceback.get(traceback.size() - 1)).isEqualTo("    at cell " + cell.label() + ", line 1");
    }

    @Test
    void lsmagicListsGroovy() {
        ExecutedCell cell = run("%lsmagic");

        assertThat(cell.stdout()).isEqualTo("Line magics: %classpath, %lsmagic, %maven. Cell magics: %%groovy, %%time.\n");
    }

    @Test
    void unknownMagicListsKnownOnes() {
        ExecutedCell cell = run("%%grovy\n1");

        assertThat(cell.ename()).isEqualTo("MagicError");
        assertThat(cell.evalue()).isEqualTo(
                "Unknown cell magic %%grovy. Line magics: %classpath, %lsmagic, %maven. Cell magics: %%groovy, %%time.");
    }

    @Test
    void groovyMagicRejectsArguments() {
        ExecutedCell cell = run("%%groovy 1 + 1");

        assertThat(cell.ename()).isEqualTo("MagicError");
        assertThat(cell.evalue()).isEqualTo(
                "Cell magic %%groovy takes no arguments. Put the Groovy code on the lines after it.");
    }

    @Test
    void classpathMagicReachesGroovy() throws Exception {
        Path folder = Files.createDirectories(KERNEL.directory().resolve("extra-classpath"));
        Files.writeString(folder.resolve("greeting.txt"), "hello from the classpath");

        ExecutedCell cell = run("%classpath " + folder + "\n%%groovy\ngetClass().classLoader.getResource('greeting.txt').text");

        assertThat(cell.status()).as(cell.error()).isEqualTo("ok");
        assertThat(cell.stdout()).isEqualTo("Added " + folder.toRealPath() + " to the classpath.\n");
        assertThat(cell.result()).isEqualTo("hello from the classpath");

        ExecutedCell remote = run("%%groovy\n"
                + "readGreeting = app('groovy-cells').function('read-greeting') { ->\n"
                + "    getClass().classLoader.getResource('greeting.txt').text\n"
                + "}\n"
                + "readGreeting.remote()");
        assertThat(remote.status()).as(remote.error()).isEqualTo("ok");
        assertThat(remote.result()).isEqualTo("hello from the classpath");
    }

    @Test
    void interruptStopsGroovyLoop() {
        TestClient client = KERNEL.get().client;
        Message request = client.send(client.shell, "execute_request", KernelProcess.execute("%%groovy\nwhile (true) { }", false));
        assertThat(client.nextIopubFor(request).msgType()).isEqualTo("status");
        assertThat(client.nextIopubFor(request).msgType()).isEqualTo("execute_input");

        Message interrupt = client.send(client.control, "interrupt_request", JsonNodeFactory.instance.objectNode());
        assertThat(client.awaitReply(client.control, interrupt).content().path("status").asText()).isEqualTo("ok");
        Message reply = client.awaitReply(client.shell, request, REPLY_TIMEOUT);
        client.iopubUntilIdle(request);

        assertThat(reply.content().path("ename").asText()).isEqualTo("Interrupted");
        assertThat(run("%%groovy\n20 + 22").result()).isEqualTo("42");
    }

    @Test
    void interruptRaisesInterruptedExceptionInLoop() {
        startGroovy();
        TestClient client = KERNEL.get().client;
        Message request = client.send(client.shell, "execute_request", KernelProcess.execute("%%groovy\n"
                + "println 'looping'\n"
                + "try {\n"
                + "    while (true) { }\n"
                + "} catch (InterruptedException e) {\n"
                + "    println 'loop ended by ' + e.class.simpleName\n"
                + "    throw e\n"
                + "}", false));
        Message next;
        do {
            next = client.nextIopubFor(request);
        } while (!next.msgType().equals("stream"));
        assertThat(next.content().path("text").asText()).isEqualTo("looping\n");

        Message interrupt = client.send(client.control, "interrupt_request", JsonNodeFactory.instance.objectNode());
        assertThat(client.awaitReply(client.control, interrupt).content().path("status").asText()).isEqualTo("ok");
        Message reply = client.awaitReply(client.shell, request, REPLY_TIMEOUT);
        List<Message> after = client.iopubUntilIdle(request);

        assertThat(reply.content().path("ename").asText()).isEqualTo("Interrupted");
        assertThat(JavaKernelTest.streams(after, "stdout")).isEqualTo("loop ended by InterruptedException\n");
        assertThat(run("%%groovy\n20 + 22").result()).isEqualTo("42");
    }

    @Test
    void interruptStopsLoopsInMethodsAndClosures() {
        startGroovy();
        for (String loop : List.of("def spin() { long n = 0; while (true) { n++ } }\nspin()",
                "(1..3).each { for (;;) { } }")) {
            TestClient client = KERNEL.get().client;
            Message request = client.send(client.shell, "execute_request",
                    KernelProcess.execute("%%groovy\nprintln 'start'\n" + loop, false));
            Message next;
            do {
                next = client.nextIopubFor(request);
            } while (!next.msgType().equals("stream"));

            Message interrupt = client.send(client.control, "interrupt_request", JsonNodeFactory.instance.objectNode());
            client.awaitReply(client.control, interrupt);
            Message reply = client.awaitReply(client.shell, request, REPLY_TIMEOUT);
            client.iopubUntilIdle(request);

            assertThat(reply.content().path("ename").asText()).as(loop).isEqualTo("Interrupted");
            assertThat(run("%%groovy\n'still ' + 'running'").result()).as(loop).isEqualTo("still running");
        }
    }

    @Test
    void isCompleteReadsGroovyBrackets() {
        assertThat(isComplete("%%groovy\ndef f = { x ->")).isEqualTo("incomplete");
        assertThat(isComplete("%%groovy\ndef f = { x -> x }")).isEqualTo("complete");
        assertThat(isComplete("%%groovy")).isEqualTo("incomplete");
    }

    @Test
    void completionOffersGroovyMagic() {
        TestClient client = KERNEL.get().client;
        ObjectNode content = JsonNodeFactory.instance.objectNode().put("code", "%%gr").put("cursor_pos", 4);
        Message request = client.send(client.shell, "complete_request", content);
        Message reply = client.awaitReply(client.shell, request, REPLY_TIMEOUT);
        client.iopubUntilIdle(request);

        assertThat(reply.content().path("matches")).extracting(JsonNode::asText).containsExactly("%%groovy");
        assertThat(reply.content().path("cursor_start").asInt()).isZero();
    }

    @Test
    void javaCellsStillRun() {
        assertThat(run("%%groovy\nshared = 1").status()).isEqualTo("ok");

        assertThat(run("int shared = 2;\nshared * 21").result()).isEqualTo("42");
    }

    private static ExecutedCell run(String code) {
        return KERNEL.run(code);
    }

    /** Runs a first Groovy cell, which starts Groovy, so that later cells print within the IOPub receive timeout. */
    private static void startGroovy() {
        assertThat(run("%%groovy\nnull").status()).isEqualTo("ok");
    }

    private static String isComplete(String code) {
        TestClient client = KERNEL.get().client;
        ObjectNode content = JsonNodeFactory.instance.objectNode().put("code", code);
        Message request = client.send(client.shell, "is_complete_request", content);
        Message reply = client.awaitReply(client.shell, request, REPLY_TIMEOUT);
        client.iopubUntilIdle(request);
        return reply.content().path("status").asText();
    }
}
