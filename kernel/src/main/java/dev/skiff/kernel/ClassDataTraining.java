package dev.skiff.kernel;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.kernel.connection.ConnectionInfo;
import dev.skiff.kernel.java.JavaKernel;
import dev.skiff.kernel.transport.Frames;
import dev.skiff.kernel.wire.InvalidMessageException;
import dev.skiff.kernel.wire.Message;
import dev.skiff.kernel.wire.MessageFactory;
import dev.skiff.kernel.wire.WireCodec;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * The training run for the kernel's class data sharing archive. It starts the kernel on loopback
 * ports and sends it the requests of a short session over its shell socket. It exits with status 0
 * once every reply has come, or 1 when one did not. Under {@code -XX:ArchiveClassesAtExit}, the JVM
 * then records the classes that a kernel loads to start and run its first cells. The system
 * property {@code skiff.home} must name a scratch folder, because cells write history there.
 */
public final class ClassDataTraining {
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> CELLS = List.of(
            "1+1",
            "String text = \"ab\".repeat(3);\ntext.length()",
            "int square(int x) {\n    return x * x;\n}",
            "square(7)",
            "List.of(1, 2, 3).stream().map(i -> i * 2).toList()",
            "System.out.println(\"printed\");",
            "throw new IllegalStateException(\"training\")",
            "%%time\n2 * 21",
            "%%groovy\n[1, 2, 3].sum()");

    private ClassDataTraining() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("skiff.home") == null) {
            System.err.println("Set -Dskiff.home to a scratch folder: the training run writes cell history there.");
            System.exit(2);
        }
        String key = UUID.randomUUID().toString();
        ConnectionInfo requested = new ConnectionInfo(ConnectionInfo.TCP, "127.0.0.1", 0, 0, 0, 0, 0, key,
                ConnectionInfo.HMAC_SHA256);
        boolean complete;
        try (KernelServer server = KernelServer.start(requested, JavaKernel.start());
                ZMQ.Context context = ZMQ.context(1);
                ZMQ.Socket shell = context.socket(SocketType.DEALER)) {
            ConnectionInfo bound = server.connection();
            shell.setLinger(0);
            shell.setReceiveTimeOut((int) REPLY_TIMEOUT.toMillis());
            shell.connect(bound.endpoint(bound.shellPort()));
            complete = runSession(shell, new WireCodec(bound.keyBytes()), MessageFactory.withRandomSession());
        }
        // Exit explicitly, as the kernel does, so that no thread a cell started keeps the JVM alive.
        System.exit(complete ? 0 : 1);
    }

    private static boolean runSession(ZMQ.Socket shell, WireCodec codec, MessageFactory factory)
            throws InvalidMessageException, IOException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (!request(shell, codec, factory, "kernel_info_request", nodes.objectNode())) {
            return false;
        }
        for (String cell : CELLS) {
            ObjectNode content = nodes.objectNode();
            content.put("code", cell);
            content.put("silent", false);
            content.put("store_history", true);
            content.putObject("user_expressions");
            content.put("allow_stdin", false);
            content.put("stop_on_error", false);
            if (!request(shell, codec, factory, "execute_request", content)) {
                return false;
            }
        }
        ObjectNode completion = nodes.objectNode();
        completion.put("code", "Str");
        completion.put("cursor_pos", 3);
        ObjectNode completeness = nodes.objectNode();
        completeness.put("code", "int x = ");
        return request(shell, codec, factory, "complete_request", completion)
                && request(shell, codec, factory, "is_complete_request", completeness);
    }

    /** Sends one request and waits for its reply. Returns false when none came within the timeout. */
    private static boolean request(ZMQ.Socket shell, WireCodec codec, MessageFactory factory, String msgType,
            ObjectNode content) throws InvalidMessageException {
        Message request = factory.create(List.of(), msgType, JsonNodeFactory.instance.objectNode(), content);
        if (!Frames.send(shell, codec.encode(request))) {
            System.err.println("Failed to send " + msgType + " to the training kernel");
            return false;
        }
        while (true) {
            List<byte[]> frames = Frames.receive(shell, 0);
            if (frames == null) {
                System.err.println("The training kernel sent no reply to " + msgType + " within "
                        + REPLY_TIMEOUT.toSeconds() + " s");
                return false;
            }
            Message reply = codec.decode(frames);
            if (reply.parentHeader().path("msg_id").asText().equals(request.msgId())) {
                return true;
            }
        }
    }
}
