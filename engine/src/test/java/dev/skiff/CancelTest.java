package dev.skiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CancelTest {
    private static final Retries RETRIES = Retries.of(3, 1.0, Duration.ZERO, Duration.ofSeconds(1));
    private static Engine engine;
    private static App app;

    @TempDir
    Path folder;

    @BeforeAll
    static void start() {
        engine = Engine.embedded();
        app = App.named("cancel-test", engine);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void getWithTimeoutDoesNotCancel() throws Exception {
        Function<String> f = app.function("slow-ok", () -> {
            Thread.sleep(1500);
            return "done";
        });
        FunctionCall<String> call = f.spawn();
        assertThatThrownBy(() -> call.get(Duration.ofMillis(100)))
                .isExactlyInstanceOf(TimeoutException.class)
                .hasMessage("Function call " + call.objectId() + " did not finish within 100 ms.");
        assertThatThrownBy(() -> call.get(Duration.ZERO))
                .isExactlyInstanceOf(TimeoutException.class)
                .hasMessage("Function call " + call.objectId() + " has not finished.");
        assertThat(call.isFinished()).isFalse();
        assertThat(call.get(Duration.ofSeconds(30))).isEqualTo("done");
    }

    @Test
    void cancelRunningInputInterruptsAndIsNeverRetried() throws Exception {
        Path started = folder.resolve("started");
        Path interrupted = folder.resolve("interrupted");
        String startedFile = started.toString();
        String interruptedFile = interrupted.toString();
        Function<Long> f = app.function("cancel-me", FunctionOptions.defaults().retries(RETRIES), () -> {
            TestFiles.appendLine(startedFile, Long.toString(ProcessHandle.current().pid()));
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                TestFiles.appendLine(interruptedFile, "interrupted");
                throw e;
            }
            return ProcessHandle.current().pid();
        });
        FunctionCall<Long> call = f.spawn();
        long pid = Long.parseLong(TestFiles.awaitLines(started, 1, Duration.ofSeconds(30)).get(0));
        call.cancel();
        assertThat(call.isFinished()).isTrue();
        assertThatThrownBy(call::get)
                .isExactlyInstanceOf(InputCancellationException.class)
                .hasMessage("Input " + call.objectId() + " of cancel-me was cancelled.");
        TestFiles.awaitLines(interrupted, 1, Duration.ofSeconds(10));

        Function<Long> pidOf = app.function("cancel-me", FunctionOptions.defaults().retries(RETRIES),
                () -> ProcessHandle.current().pid());
        assertThat(pidOf.remote()).isPositive();
        assertThat(TestFiles.lines(started)).hasSize(1);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isTrue();
    }

    @Test
    void cancelWithTerminateKillsWorker() throws Exception {
        Path started = folder.resolve("started");
        String startedFile = started.toString();
        Function<Integer> f = app.function("terminate-me", FunctionOptions.defaults().retries(RETRIES), () -> {
            TestFiles.appendLine(startedFile, Long.toString(ProcessHandle.current().pid()));
            while (true) {
                Math.sqrt(System.nanoTime());
            }
        });
        FunctionCall<Integer> call = f.spawn();
        long pid = Long.parseLong(TestFiles.awaitLines(started, 1, Duration.ofSeconds(30)).get(0));
        call.cancel(true);
        assertThatThrownBy(call::get).isExactlyInstanceOf(InputCancellationException.class);
        TestFiles.awaitExit(pid, Duration.ofSeconds(10));
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        Thread.sleep(300);
        assertThat(TestFiles.lines(started)).hasSize(1);
    }

    @Test
    void cancelQueuedInputNeverRuns() throws Exception {
        Path ran = folder.resolve("ran");
        String ranFile = ran.toString();
        Function<Integer> f = app.function("queued", FunctionOptions.defaults().maxContainers(1), (Integer x) -> {
            TestFiles.appendLine(ranFile, Integer.toString(x));
            Thread.sleep(500);
            return x;
        });
        FunctionCall<Integer> first = f.spawn(1);
        FunctionCall<Integer> second = f.spawn(2);
        second.cancel();
        assertThat(first.get()).isEqualTo(1);
        assertThatThrownBy(second::get).isExactlyInstanceOf(InputCancellationException.class);
        assertThat(f.remote(3)).isEqualTo(3);
        assertThat(TestFiles.lines(ran)).containsExactly("1", "3");
    }
}
