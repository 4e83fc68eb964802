package dev.skiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FunctionRemoteTest {
    private static Engine engine;
    private static App app;

    @BeforeAll
    static void start() {
        engine = Engine.embedded();
        app = App.named("remote-test", engine);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void remoteReturnsResultFromWorker() {
        Function<Integer> square = app.function("square", (Integer x) -> x * x);
        assertThat(square.remote(4)).isEqualTo(16);
        assertThat(square.remote(-3)).isEqualTo(9);
    }

    @Test
    void remoteRunsInAnotherProcess() {
        Function<Long> pid = app.function("pid", () -> ProcessHandle.current().pid());
        long workerPid = pid.remote();
        assertThat(workerPid).isNotEqualTo(ProcessHandle.current().pid());
        assertThat(engine.workerPids()).contains(workerPid);
    }

    @Test
    void localRunsInThisProcess() {
        Function<Long> pid = app.function("local-pid", () -> ProcessHandle.current().pid());
        assertThat(pid.local()).isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void bodiesOfEveryArity() {
        Function<String> zero = app.function("zero", () -> "none");
        Function<String> two = app.function("two", (String a, Integer b) -> a + b);
        Function<String> three = app.function("three", (String a, String b, String c) -> a + b + c);
        Function<Integer> varargs = app.varargsFunction("count", FunctionOptions.defaults(), args -> args.length);
        assertThat(zero.remote()).isEqualTo("none");
        assertThat(two.remote("x", 2)).isEqualTo("x2");
        assertThat(three.remote("a", "b", "c")).isEqualTo("abc");
        assertThat(varargs.remote(1, 2, 3, 4)).isEqualTo(4);
        assertThat(varargs.remote()).isEqualTo(0);
    }

    @Test
    void capturedValuesTravelWithTheBody() {
        int offset = 100;
        List<String> words = List.of("a", "b");
        Function<String> f = app.function("captured", (Integer x) -> words.get(x) + (x + offset));
        assertThat(f.remote(1)).isEqualTo("b101");
    }

    @Test
    void serializableValuesRoundTrip() {
        Function<Point> move = app.function("move", (Point p) -> new Point(p.x() + 1, p.y() + 1));
        assertThat(move.remote(new Point(1, 2))).isEqualTo(new Point(2, 3));
        Function<Object> identity = app.function("identity", (Object o) -> o);
        assertThat(identity.remote((Object) null)).isNull();
        assertThat(identity.remote(List.of(1, "two", 3.0))).isEqualTo(List.of(1, "two", 3.0));
        assertThat(identity.remote("héllo ✓")).isEqualTo("héllo ✓");
        assertThat(identity.remote(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(identity.remote(true)).isEqualTo(true);
    }

    @Test
    void wrongArgumentCountIsRejected() {
        Function<Integer> square = app.function("square-args", (Integer x) -> x * x);
        assertThatThrownBy(() -> square.remote(1, 2))
                .isInstanceOf(InvalidException.class)
                .hasMessage("square-args takes 1 argument but remote was called with 2.");
    }

    @Test
    void nonSerializableArgumentIsRejectedBeforeSending() {
        Function<String> f = app.function("describe", (Object a, Object b) -> String.valueOf(b));
        Thread thread = new Thread(() -> { });
        assertThatThrownBy(() -> f.remote("fine", thread))
                .isInstanceOf(InvalidException.class)
                .hasMessage("Cannot send argument 2 of describe(): a value of type java.lang.Thread is not "
                        + "serializable. Pass a value that implements java.io.Serializable.");
    }

    @Test
    void nonSerializableResultIsReported() {
        Function<Object> f = app.function("returns-thread", () -> new Object());
        assertThatThrownBy(f::remote)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("The result of the function cannot be sent back: a value of type java.lang.Object is "
                        + "not serializable. Return a value that implements java.io.Serializable.");
    }

    @Test
    void nonSerializableCaptureIsRejectedAtRegistration() {
        Object lock = new Object();
        assertThatThrownBy(() -> app.function("captures-lock", () -> lock.hashCode()))
                .isInstanceOf(InvalidException.class)
                .hasMessageStartingWith("The body of function captures-lock cannot be sent to workers: ")
                .hasMessageContaining("java.lang.Object, which is not serializable");
    }

    @Test
    void invalidNamesAreRejected() {
        assertThatThrownBy(() -> app.function("bad name", () -> 1))
                .isInstanceOf(InvalidException.class)
                .hasMessage("Invalid function name \"bad name\": use 1 to 64 letters, digits, '_', '.' or '-', "
                        + "starting with a letter or digit.");
    }

    @Test
    void getWithTimeoutReturnsFinishedResult() throws Exception {
        Function<Integer> f = app.function("plus-one", (Integer x) -> x + 1);
        FunctionCall<Integer> call = f.spawn(41);
        assertThat(call.get(Duration.ofSeconds(30))).isEqualTo(42);
        assertThat(call.isFinished()).isTrue();
        assertThat(call.get(Duration.ZERO)).isEqualTo(42);
    }

    record Point(int x, int y) implements java.io.Serializable {
    }
}
