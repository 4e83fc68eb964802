package dev.skiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.wire.MessageType;
import dev.skiff.wire.MessageWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/** Hostile and careless callers: impostor peers, inputs that ignore cancellation, slow sinks, large maps. */
class RobustnessTest {
    private static Engine engine;
    private static App app;

    @TempDir
    Path folder;

    @BeforeAll
    static void start() {
        engine = Engine.embedded();
        app = App.named("robustness", engine);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void impostorCannotForgeResults() throws Exception {
        Path started = folder.resolve("started");
        String startedFile = started.toString();
        Function<String> upper = app.function("upper", (String text) -> {
            TestFiles.appendLine(startedFile, Long.toString(ProcessHandle.current().pid()));
            Thread.sleep(1500);
            return text.toUpperCase();
        });
        FunctionCall<String> call = upper.spawn("secret");
        long pid = Long.parseLong(TestFiles.awaitLines(started, 1, Duration.ofSeconds(30)).get(0));
        String[] arguments = ProcessHandle.of(pid).orElseThrow().info().arguments().orElseThrow();
        String inbound = arguments[arguments.length - 4];
        String workerId = arguments[arguments.length - 2];
        assertThat(workerId).startsWith("wk-");
        assertThat(String.join(" ", arguments)).doesNotContain(".key-");

        try (ZContext context = new ZContext(1)) {
            ZMQ.Socket impostor = context.createSocket(SocketType.DEALER);
            impostor.setIdentity(workerId.getBytes(StandardCharsets.UTF_8));
            impostor.setLinger(1000);
            impostor.connect(inbound);
            MessageWriter forged = new MessageWriter(MessageType.RESULTS, 4096).putInt(200);
            for (long id = 1; id <= 200; id++) {
                forged.putLong(id).putByte(MessageType.RESULT_OK).putLong(0)
                        .putBytes(dev.skiff.serial.Payloads.encodeValue("FORGED"));
            }
            impostor.send(forged.toByteArray());
        }
        assertThat(call.get(Duration.ofSeconds(30))).isEqualTo("SECRET");
    }

    @Test
    void cancelledInputIgnoringInterruptsIsStopped() throws Exception {
        Path started = folder.resolve("started");
        String startedFile = started.toString();
        Function<String> stubborn = app.function("stubborn", FunctionOptions.defaults().maxContainers(1),
                (Boolean spin) -> {
                    if (spin) {
                        TestFiles.appendLine(startedFile, "spinning");
                        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                        while (System.nanoTime() < end) {
                            Thread.interrupted();
                        }
                    }
                    return "quick";
                });
        FunctionCall<String> spinning = stubborn.spawn(true);
        TestFiles.awaitLines(started, 1, Duration.ofSeconds(30));
        spinning.cancel();
        assertThatThrownBy(spinning::get).isExactlyInstanceOf(InputCancellationException.class);
        assertThat(stubborn.spawn(false).get(Duration.ofSeconds(30))).isEqualTo("quick");
    }

    @Test
    void slowSinkDoesNotDelayOtherCalls() throws Exception {
        Function<Integer> chatty = app.function("chatty", () -> {
            for (int i = 0; i < 2000; i++) {
                System.out.println("line " + i);
            }
            return 2000;
        });
        Function<Integer> quiet = app.function("quiet", (Integer x) -> x + 1);
        assertThat(quiet.remote(0)).isEqualTo(1);

        List<String> received = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Integer> noisy = CompletableFuture.supplyAsync(() -> {
            OutputSink.setCurrent((function, input, stderr, text) -> {
                received.add(text);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            return chatty.remote();
        });
        long begin = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            assertThat(quiet.remote(i)).isEqualTo(i + 1);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(5));
        assertThat(noisy.get(60, TimeUnit.SECONDS)).isEqualTo(2000);
        assertThat(String.join("", received)).startsWith("line 0\n").contains("line 1999\n");
    }

    @Test
    void largeInputsAreNotPrefetchedPastWorkerHeap() {
        Function<Integer> length = app.function("length", FunctionOptions.defaults().memory(96).maxContainers(1),
                (byte[] bytes) -> bytes.length);
        List<byte[]> inputs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            inputs.add(new byte[16]);
        }
        assertThat(length.map(inputs)).containsOnly(16);
        List<byte[]> large = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            large.add(new byte[1 << 20]);
        }
        assertThat(length.map(large)).hasSize(120).containsOnly(1 << 20);
    }
}
