package dev.skiff.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.App;
import dev.skiff.Engine;
import dev.skiff.Function;
import dev.skiff.FunctionOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

class DockerSmokeIT {
    @Test
    void functionRunsInContainer() throws Exception {
        run();
        run();
    }

    private void run() throws Exception {
        try (Engine engine = Engine.embedded()) {
            Function<String> where = App.named("smoke", engine).backend("docker").function("where",
                    FunctionOptions.defaults(),
                    (Integer x) -> x * x + " " + java.nio.file.Files.exists(java.nio.file.Path.of("/.dockerenv")));
            long started = System.nanoTime();
            assertThat(where.remote(7)).isEqualTo("49 true");
            System.out.println("first call " + (System.nanoTime() - started) / 1_000_000 + " ms");
            started = System.nanoTime();
            assertThat(where.map(List.of(1, 2, 3))).containsExactly("1 true", "4 true", "9 true");
            System.out.println("map " + (System.nanoTime() - started) / 1_000_000 + " ms");
        }
    }
}
