package dev.skiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailureTest {
    private static final Retries NO_DELAY = Retries.of(2, 1.0, Duration.ZERO, Duration.ofSeconds(1));
    private static Engine engine;
    private static App app;

    @TempDir
    Path folder;

    @BeforeAll
    static void start() {
        engine = Engine.embedded();
        app = App.named("failure-test", engine);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void uncheckedExceptionKeepsTypeAndMessage() {
        Function<Integer> f = app.function("unchecked", (Integer x) -> {
            throw new IllegalArgumentException("bad input " + x);
        });
        assertThatThrownBy(() -> f.remote(7))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad input 7");
    }

    @Test
    void checkedExceptionKeepsTypeAndMessage() {
        Function<Integer> f = app.function("checked", (Integer x) -> {
            throw new IOException("disk " + x + " is gone");
        });
        assertThatThrownBy(() -> f.remote(2))
                .isExactlyInstanceOf(IOException.class)
                .hasMessage("disk 2 is gone");
    }

    @Test
    void remoteStackTraceShowsUserFrameFirst() {
        Function<Integer> f = app.function("deep", (Integer x) -> Thrower.fail(x));
        Throwable error = org.assertj.core.api.Assertions.catchThrowable(() -> f.remote(1));
        assertThat(error).isExactlyInstanceOf(IllegalStateException.class);
        assertThat(error.getStackTrace()[0].getClassName()).isEqualTo(Thrower.class.getName());
        assertThat(error.getStackTrace()[0].getMethodName()).isEqualTo("fail");
    }

    @Test
    void unserializableExceptionBecomesRemoteException() {
        Function<Integer> f = app.function("unserializable-error", () -> {
            throw new HoldsThread("worker state");
        });
        Throwable error = org.assertj.core.api.Assertions.catchThrowable(f::remote);
        assertThat(error).isExactlyInstanceOf(RemoteException.class);
        RemoteException remote = (RemoteException) error;
        assertThat(remote.remoteType()).isEqualTo(HoldsThread.class.getName());
        assertThat(remote.remoteMessage()).isEqualTo("worker state");
        assertThat(remote.getMessage()).isEqualTo(HoldsThread.class.getName() + ": worker state");
        assertThat(remote.remoteStackTrace()).contains("at " + FailureTest.class.getName());
    }

    @Test
    void failingInputIsRetriedExactly() {
        String attempts = folder.resolve("attempts").toString();
        Function<Integer> f = app.function("always-fails", FunctionOptions.defaults().retries(NO_DELAY), () -> {
            TestFiles.appendLine(attempts, "attempt");
            throw new IllegalStateException("fails every time");
        });
        assertThatThrownBy(f::remote).isExactlyInstanceOf(IllegalStateException.class).hasMessage("fails every time");
        assertThat(TestFiles.lines(Path.of(attempts))).hasSize(3);
    }

    @Test
    void retrySucceedsAfterFailures() {
        String attempts = folder.resolve("attempts").toString();
        Function<Integer> f = app.function("fails-twice", FunctionOptions.defaults().retries(NO_DELAY), () -> {
            TestFiles.appendLine(attempts, "attempt");
            if (TestFiles.lines(Path.of(attempts)).size() < 3) {
                throw new IllegalStateException("not yet");
            }
            return 42;
        });
        assertThat(f.remote()).isEqualTo(42);
        assertThat(TestFiles.lines(Path.of(attempts))).hasSize(3);
    }

    @Test
    void killedWorkerFailsItsInputWithExitStatus() throws Exception {
        Path started = folder.resolve("started");
        String startedFile = started.toString();
        Function<Integer> f = app.function("killed", () -> {
            TestFiles.appendLine(startedFile, Long.toString(ProcessHandle.current().pid()));
            Thread.sleep(60_000);
            return 1;
        });
        FunctionCall<Integer> call = f.spawn();
        long pid = Long.parseLong(TestFiles.awaitLines(started, 1, Duration.ofSeconds(30)).get(0));
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        Throwable error = org.assertj.core.api.Assertions.catchThrowable(call::get);
        assertThat(error).isExactlyInstanceOf(WorkerDiedException.class);
        assertThat(((WorkerDiedException) error).exitStatus()).isEqualTo(137);
        assertThat(error.getMessage()).startsWith("killed input " + call.objectId() + " failed: its worker wk-")
                .contains("(pid " + pid + ") was killed by signal 9 (SIGKILL) (exit status 137)");
    }

    @Test
    void killedWorkerInputIsRetried() throws Exception {
        Path started = folder.resolve("started");
        String startedFile = started.toString();
        Function<String> f = app.function("killed-then-ok", FunctionOptions.defaults().retries(NO_DELAY), () -> {
            TestFiles.appendLine(startedFile, Long.toString(ProcessHandle.current().pid()));
            if (TestFiles.lines(Path.of(startedFile)).size() == 1) {
                Thread.sleep(60_000);
            }
            return "second attempt";
        });
        FunctionCall<String> call = f.spawn();
        long pid = Long.parseLong(TestFiles.awaitLines(started, 1, Duration.ofSeconds(30)).get(0));
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        assertThat(call.get(Duration.ofSeconds(60))).isEqualTo("second attempt");
        assertThat(TestFiles.lines(started)).hasSize(2);
    }

    @Test
    void systemExitFailsInputWithStatus() {
        Function<Integer> f = app.function("exits", () -> {
            System.exit(7);
            return 0;
        });
        Throwable error = org.assertj.core.api.Assertions.catchThrowable(f::remote);
        assertThat(error).isExactlyInstanceOf(WorkerDiedException.class);
        assertThat(((WorkerDiedException) error).exitStatus()).isEqualTo(7);
        assertThat(error.getMessage()).contains("exited with status 7 (System.exit or a crash)");
    }

    @Test
    void outOfMemoryIsNamed() {
        Function<Integer> f = app.function("hungry", FunctionOptions.defaults().memory(64), () -> {
            List<long[]> hoard = new java.util.ArrayList<>();
            while (true) {
                hoard.add(new long[1 << 20]);
            }
        });
        Throwable error = org.assertj.core.api.Assertions.catchThrowable(f::remote);
        assertThat(error).isExactlyInstanceOf(WorkerDiedException.class);
        assertThat(((WorkerDiedException) error).exitStatus()).isEqualTo(3);
        assertThat(error.getMessage()).contains("ran out of memory (java.lang.OutOfMemoryError, exit status 3)");
    }

    @Test
    void timeoutStopsWorkerAndFails() throws Exception {
        Path started = folder.resolve("started");
        String startedFile = started.toString();
        Function<Integer> f = app.function("slow", FunctionOptions.defaults().timeout(Duration.ofSeconds(1)), () -> {
            TestFiles.appendLine(startedFile, Long.toString(ProcessHandle.current().pid()));
            Thread.sleep(60_000);
            return 1;
        });
        FunctionCall<Integer> call = f.spawn();
        Throwable error = org.assertj.core.api.Assertions.catchThrowable(() -> call.get(Duration.ofSeconds(30)));
        assertThat(error).isExactlyInstanceOf(FunctionTimeoutException.class);
        assertThat(error.getMessage()).startsWith("slow input " + call.objectId() + " timed out after 1000 ms "
                + "(attempt 1 of 1); its worker wk-");
        long pid = Long.parseLong(TestFiles.lines(started).get(0));
        TestFiles.awaitExit(pid, Duration.ofSeconds(10));
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void eachRetryGetsAFreshTimeout() {
        String attempts = folder.resolve("attempts").toString();
        Function<String> f = app.function("slow-then-fast", FunctionOptions.defaults()
                .timeout(Duration.ofSeconds(1)).retries(NO_DELAY), () -> {
                    TestFiles.appendLine(attempts, "attempt");
                    if (TestFiles.lines(Path.of(attempts)).size() < 3) {
                        Thread.sleep(60_000);
                    }
                    Thread.sleep(600);
                    return "third attempt";
                });
        assertThat(f.remote()).isEqualTo("third attempt");
        assertThat(TestFiles.lines(Path.of(attempts))).hasSize(3);
    }

    static final class Thrower {
        static int fail(int x) {
            throw new IllegalStateException("failed at " + x);
        }
    }

    static final class HoldsThread extends RuntimeException {
        private final Thread thread = new Thread(() -> { });

        HoldsThread(String message) {
            super(message);
        }
    }
}
