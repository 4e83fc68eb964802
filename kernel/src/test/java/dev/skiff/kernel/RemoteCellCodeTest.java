package dev.skiff.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Classes defined in Java cells, run in workers, and the top-level variables their methods read. */
@Timeout(300)
class RemoteCellCodeTest {
    /** Long enough for the first call, which starts a worker JVM. */
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(120);

    @RegisterExtension
    static final KernelProcessExtension KERNEL = new KernelProcessExtension(REPLY_TIMEOUT);

    private static ExecutedCell run(String code) {
        return KERNEL.run(code);
    }

    @Test
    void functionCallingClassMethodGetsVariableValue() {
        ExecutedCell define = run("int factor = 3;\nclass Scaler { int scale(int x) { return x * factor; } }");
        assertThat(define.status()).as(define.error()).isEqualTo("ok");

        ExecutedCell remote = run("Function<Integer> scaled = App.named(\"remote-cells\")"
                + ".function(\"scaled\", (Integer x) -> new Scaler().scale(x));\nscaled.remote(5)");

        assertThat(remote.status()).as(remote.error()).isEqualTo("ok");
        assertThat(remote.result()).isEqualTo("15");
    }

    @Test
    void clsReadingVariablesIsRejectedNamingThem() {
        ExecutedCell define = run("int offset = 10;\nString label = \"n\";\n"
                + "public static class Counter {\n"
                + "    @Method public String next(int x) { return label + (x + offset); }\n"
                + "}");
        assertThat(define.status()).as(define.error()).isEqualTo("ok");

        ExecutedCell register = run("App.named(\"remote-cells\").cls(Counter.class)");

        assertThat(register.status()).isEqualTo("error");
        assertThat(register.reply().path("ename").asText()).isEqualTo("InvalidException");
        assertThat(register.reply().path("evalue").asText()).isEqualTo("Class Counter reads the top-level variables"
                + " label, offset, but workers of a class registered with cls do not get the values of top-level"
                + " variables and would read 0, false or null. Pass each value to an @Parameter field with"
                + " withParameters, or compute it inside the class.");
    }

    @Test
    void clsReadingVariableThroughMethodIsRejected() {
        ExecutedCell define = run("int limit = 4;\nint capped(int x) { return Math.min(x, limit); }\n"
                + "public static class Capper {\n"
                + "    @Method public int cap(int x) { return capped(x); }\n"
                + "}");
        assertThat(define.status()).as(define.error()).isEqualTo("ok");

        ExecutedCell register = run("App.named(\"remote-cells\").cls(Capper.class)");

        assertThat(register.reply().path("ename").asText()).isEqualTo("InvalidException");
        assertThat(register.reply().path("evalue").asText()).startsWith("Class Capper reads the top-level variable"
                + " limit, but workers");
    }

    @Test
    void clsWithoutVariablesRunsRemotely() {
        ExecutedCell define = run("public static class Doubler {\n"
                + "    @Method public int twice(int x) { return 2 * x; }\n"
                + "}");
        assertThat(define.status()).as(define.error()).isEqualTo("ok");

        ExecutedCell remote = run("Cls<Doubler> doubler = App.named(\"remote-cells\").cls(Doubler.class);\n"
                + "doubler.<Integer>method(\"twice\").remote(21)");

        assertThat(remote.status()).as(remote.error()).isEqualTo("ok");
        assertThat(remote.result()).isEqualTo("42");
    }
}
