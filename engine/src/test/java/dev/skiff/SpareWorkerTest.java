package dev.skiff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.code.CodeBundle;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpareWorkerTest {
    /** Records which thread initialized it, so a test can tell whether the worker preloaded it. */
    public static final class PreloadMarker {
        static {
            System.setProperty("skiff.test.preloaded-by", Thread.currentThread().getName());
        }

        private PreloadMarker() {
        }
    }

    @Test
    void sameClasspathAdoptsSpare() throws Exception {
        try (Engine engine = Engine.embedded()) {
            engine.startSpareWorker(CodeBundle.ofCurrentClasspath().classpath(), List.of(PreloadMarker.class.getName()));
            List<Long> spare = engine.workerPids();
            assertThat(spare).hasSize(1);

            Function<String> who = App.named("spare", engine).function("who", () -> {
                Class.forName(PreloadMarker.class.getName(), true, ClassLoader.getSystemClassLoader());
                return ProcessHandle.current().pid() + " " + System.getProperty("skiff.test.preloaded-by");
            });

            assertThat(who.remote()).isEqualTo(spare.get(0) + " skiff-worker-preload");
            assertThat(engine.workerPids()).isEqualTo(spare);
        }
    }

    @Test
    void functionWithResourceSettingsStartsItsOwnWorker() throws Exception {
        try (Engine engine = Engine.embedded()) {
            engine.startSpareWorker(CodeBundle.ofCurrentClasspath().classpath(), List.of());
            long spare = engine.workerPids().get(0);

            Function<Long> pid = App.named("spare", engine).function("pid", FunctionOptions.defaults().memory(256),
                    () -> ProcessHandle.current().pid());

            assertThat(pid.remote()).isNotEqualTo(spare);
            assertThat(engine.workerPids()).hasSize(2).contains(spare);
        }
    }

    @Test
    void functionWithAnotherClasspathStartsItsOwnWorker() throws Exception {
        try (Engine engine = Engine.embedded()) {
            List<String> other = new ArrayList<>(CodeBundle.ofCurrentClasspath().classpath());
            other.add("/nonexistent/extra.jar");
            engine.startSpareWorker(other, List.of());
            long spare = engine.workerPids().get(0);

            Function<Long> pid = App.named("spare", engine).function("pid", () -> ProcessHandle.current().pid());

            assertThat(pid.remote()).isNotEqualTo(spare);
        }
    }
}
