package dev.skiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartFailureTest {
    @TempDir
    Path folder;

    /** A class whose enter hook ends the worker before it is ready. */
    public static class ExitsOnEnter {
        @Parameter
        String log = "";

        @Enter
        void load() {
            TestFiles.appendLine(log, "enter");
            System.exit(5);
        }

        @Method
        public int value() {
            return 1;
        }
    }

    /** An exception whose message cannot be read. */
    static final class BrokenMessage extends RuntimeException {
        @Override
        public String getMessage() {
            throw new IllegalStateException("no message for you");
        }
    }

    public static final class First {
        /** A class named like {@link Second.Model}, which must get its own workers. */
        public static class Model {
            @Method
            public String who() {
                return "first";
            }
        }
    }

    public static final class Second {
        public static class Model {
            @Method
            public String who() {
                return "second";
            }
        }
    }

    @Test
    void earlyExitFailsCallsWithoutRestarts() throws Exception {
        Path log = folder.resolve("enter");
        try (Engine engine = Engine.embedded()) {
            Cls<ExitsOnEnter> cls = App.named("start-failure", engine)
                    .cls(ExitsOnEnter.class, FunctionOptions.defaults().minContainers(1))
                    .withParameters(Map.of("log", log.toString()));
            Throwable error = catchThrowable(() -> cls.<Integer>method("value").spawn().get(Duration.ofSeconds(60)));
            assertThat(error).isExactlyInstanceOf(WorkerDiedException.class);
            assertThat(error.getMessage()).startsWith("ExitsOnEnter: worker wk-")
                    .contains("exited before it was ready: it exited with status 5 (System.exit or a crash)");
            assertThat(((WorkerDiedException) error).exitStatus()).isEqualTo(5);
            int startsAfterFailure = TestFiles.lines(log).size();
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(TestFiles.lines(log).size()).isLessThanOrEqualTo(Math.max(startsAfterFailure, 3));
        }
    }

    @Test
    void exceptionWithBrokenMessageIsStillReported() {
        try (Engine engine = Engine.embedded()) {
            Function<Integer> f = App.named("broken-message", engine).function("broken", () -> {
                throw new BrokenMessage();
            });
            Throwable error = catchThrowable(() -> f.spawn().get(Duration.ofSeconds(60)));
            assertThat(error).isExactlyInstanceOf(BrokenMessage.class);
        }
    }

    @Test
    void classesWithSameSimpleNameGetSeparateWorkers() {
        try (Engine engine = Engine.embedded()) {
            App app = App.named("same-names", engine);
            Cls<First.Model> first = app.cls(First.Model.class);
            Cls<Second.Model> second = app.cls(Second.Model.class);
            assertThat(first.<String>method("who").remote()).isEqualTo("first");
            assertThat(second.<String>method("who").remote()).isEqualTo("second");
        }
    }
}
