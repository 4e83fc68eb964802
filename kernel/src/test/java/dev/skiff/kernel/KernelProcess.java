package dev.skiff.kernel;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.code.CodeBundle;
import dev.skiff.kernel.connection.ConnectionInfo;
import dev.skiff.kernel.wire.Message;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Java kernel in its own JVM, started with {@link KernelMain} and this JVM's classpath, with a
 * connected {@link TestClient}. {@link #close()} kills the kernel and its descendants if they are
 * still running.
 */
final class KernelProcess implements AutoCloseable {
    static final String KEY = "kernel-process-test-key";
    private static final long READY_TIMEOUT_MILLIS = 90_000;

    final Process process;
    final TestClient client;

    private KernelProcess(Path directory) throws IOException {
        ConnectionInfo connection = new ConnectionInfo(ConnectionInfo.TCP, "127.0.0.1", freePort(), freePort(),
                freePort(), freePort(), freePort(), KEY, ConnectionInfo.HMAC_SHA256);
        Path file = directory.resolve("connection.json");
        Files.writeString(file, "{\"transport\":\"tcp\",\"ip\":\"127.0.0.1\",\"shell_port\":" + connection.shellPort()
                + ",\"iopub_port\":" + connection.iopubPort() + ",\"stdin_port\":" + connection.stdinPort()
                + ",\"control_port\":" + connection.controlPort() + ",\"hb_port\":" + connection.hbPort()
                + ",\"key\":\"" + KEY + "\",\"signature_scheme\":\"hmac-sha256\"}");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                String.join(File.pathSeparator, CodeBundle.expand(System.getProperty("java.class.path"))),
                KernelMain.class.getName(), "-f", file.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(directory.resolve("kernel.log").toFile());
        builder.environment().put("SKIFF_HOME", directory.resolve("skiff-home").toString());
        process = builder.start();
        client = new TestClient(connection, KEY);
        client.awaitIopubSubscribed();
        awaitJShell();
    }

    static KernelProcess start(Path directory) throws IOException {
        return new KernelProcess(directory);
    }

    /** Runs cells until one succeeds, since the first waits for JShell to start. */
    private void awaitJShell() {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MILLIS;
        Message request = client.send(client.shell, "execute_request", execute("0", false));
        while (System.currentTimeMillis() < deadline) {
            try {
                Message reply = client.receive(client.shell);
                if (TestClient.parentId(reply).equals(request.msgId())) {
                    client.iopubUntilIdle(request);
                    return;
                }
            } catch (AssertionError e) {
                if (!process.isAlive()) {
                    throw new AssertionError("the kernel exited with status " + process.exitValue(), e);
                }
            }
        }
        throw new AssertionError("JShell was not ready within " + READY_TIMEOUT_MILLIS + " ms");
    }

    static ObjectNode execute(String code, boolean allowStdin) {
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        content.put("code", code);
        content.put("silent", false);
        content.put("store_history", true);
        content.putObject("user_expressions");
        content.put("allow_stdin", allowStdin);
        content.put("stop_on_error", true);
        return content;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        client.close();
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
