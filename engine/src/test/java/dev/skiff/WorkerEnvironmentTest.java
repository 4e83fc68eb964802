package dev.skiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WorkerEnvironmentTest {
    private static Engine engine;
    private static App app;

    @BeforeAll
    static void start() {
        engine = Engine.embedded();
        app = App.named("environment-test", engine);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void envAndSecretsReachWorker() {
        Secret secret = Secret.fromMap("api", Map.of("API_TOKEN", "s3cret"));
        Function<String> read = app.function("read-env",
                FunctionOptions.defaults().env(Map.of("MODE", "test")).secrets(secret),
                () -> System.getenv("MODE") + "/" + System.getenv("API_TOKEN"));
        assertThat(read.remote()).isEqualTo("test/s3cret");
    }

    @Test
    void memoryAndCpuLimitTheWorkerJvm() {
        Function<List<Long>> limits = app.function("limits", FunctionOptions.defaults().memory(128).cpu(1),
                () -> List.of(Runtime.getRuntime().maxMemory() / (1024 * 1024),
                        (long) Runtime.getRuntime().availableProcessors()));
        List<Long> values = limits.remote();
        assertThat(values.get(0)).isBetween(100L, 128L);
        assertThat(values.get(1)).isEqualTo(1L);
    }

    @Test
    void gpuRequestWithoutGpusFailsClearly() {
        org.junit.jupiter.api.Assumptions.assumeFalse(new java.io.File("/usr/bin/nvidia-smi").exists(),
                "this machine has nvidia-smi");
        Function<String> f = app.function("needs-gpu", FunctionOptions.defaults().gpu("H100"), () -> "ran");
        assertThatThrownBy(f::remote)
                .isExactlyInstanceOf(SkiffException.class)
                .hasMessage("No GPU on this machine matches the request [H100] of needs-gpu: nvidia-smi found no GPU. "
                        + "Remove the gpu option to run on the CPU, or use a backend with such GPUs.");
    }

    @Test
    void bufferContainersKeepsSpareWorker() throws Exception {
        Function<Long> busy = app.function("buffered", FunctionOptions.defaults().bufferContainers(1).maxContainers(3),
                () -> {
                    Thread.sleep(3000);
                    return ProcessHandle.current().pid();
                });
        List<Long> before = engine.workerPids();
        FunctionCall<Long> call = busy.spawn();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (engine.workerPids().size() < before.size() + 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(engine.workerPids()).hasSize(before.size() + 2);
        assertThat(call.get()).isPositive();
    }
}
