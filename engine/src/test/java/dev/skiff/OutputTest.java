package dev.skiff;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputTest {
    @Test
    void workerOutputReachesCallerTagged() {
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        OutputSink.setCurrent((function, input, stderr, text) ->
                received.add(function + "|" + input + "|" + (stderr ? "err" : "out") + "|" + text));
        try (Engine engine = Engine.embedded()) {
            Function<Integer> noisy = App.named("output-test", engine).function("noisy", (Integer x) -> {
                System.out.println("computing " + x);
                System.err.println("warning about " + x);
                return x;
            });
            FunctionCall<Integer> call = noisy.spawn(5);
            assertThat(call.get()).isEqualTo(5);
            assertThat(received).containsExactly(
                    "noisy|" + call.objectId() + "|out|computing 5\n",
                    "noisy|" + call.objectId() + "|err|warning about 5\n");
        } finally {
            OutputSink.setCurrent(null);
        }
    }

    @Test
    void consoleSinkPrefixesEveryLine() {
        var buffer = new java.io.ByteArrayOutputStream();
        var original = System.out;
        System.setOut(new java.io.PrintStream(buffer, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            OutputSink.console().write("f", "fc-1", false, "one\ntwo\n");
        } finally {
            System.setOut(original);
        }
        assertThat(buffer.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("[f fc-1] one\n[f fc-1] two\n");
    }
}
