package dev.skiff.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.skiff.kernel.wire.Message;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Shutdown, with and without restart, ends the kernel JVM and the Skiff workers it started. */
@Timeout(180)
class KernelShutdownTest {
    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shutdownLeavesNoJvm(boolean restart) throws Exception {
        try (KernelProcess kernel = KernelProcess.start(directory)) {
            TestClient client = kernel.client;
            Message request = client.send(client.shell, "execute_request", KernelProcess.execute(
                    "Function<Integer> twice = App.named(\"shutdown\").function(\"twice\", (Integer x) -> 2 * x);\n"
                            + "twice.remote(21)", false));
            Message reply = client.awaitReply(client.shell, request);
            assertThat(reply.content().path("status").asText()).as(reply.content().toString()).isEqualTo("ok");
            client.iopubUntilIdle(request);
            List<ProcessHandle> workers = kernel.process.descendants().toList();
            assertThat(workers).as("worker processes").isNotEmpty();

            Message shutdown = client.send(client.control, "shutdown_request",
                    JsonNodeFactory.instance.objectNode().put("restart", restart));
            Message shutdownReply = client.awaitReply(client.control, shutdown);
            assertThat(shutdownReply.content().path("restart").asBoolean()).isEqualTo(restart);

            assertThat(kernel.process.waitFor(30, TimeUnit.SECONDS)).as("kernel exited").isTrue();
            assertThat(kernel.process.exitValue()).isZero();
            for (ProcessHandle worker : workers) {
                assertThat(worker.onExit().get(20, TimeUnit.SECONDS).isAlive()).as("worker %d", worker.pid()).isFalse();
            }
        }
    }
}
