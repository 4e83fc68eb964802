package dev.skiff.kernel.transport;

import java.util.ArrayList;
import java.util.List;
import org.zeromq.ZMQ;

/** Multipart send and receive on a ZeroMQ socket; call only from the thread that owns the socket. */
public final class Frames {

    private Frames() {
    }

    /**
     * Sends all frames as one multipart message.
     *
     * @return false when the socket would block or refused the message
     * @throws org.zeromq.ZMQException on socket errors, such as an unknown peer on a ROUTER with
     *     {@code ROUTER_MANDATORY}
     */
    public static boolean send(ZMQ.Socket socket, List<byte[]> frames) {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("a message needs at least one frame");
        }
        int last = frames.size() - 1;
        for (int i = 0; i < last; i++) {
            if (!socket.sendMore(frames.get(i))) {
                return false;
            }
        }
        return socket.send(frames.get(last), 0);
    }

    /** Receives one multipart message, or returns {@code null} when none is ready under the given flags. */
    public static List<byte[]> receive(ZMQ.Socket socket, int flags) {
        byte[] first = socket.recv(flags);
        if (first == null) {
            return null;
        }
        List<byte[]> frames = new ArrayList<>();
        frames.add(first);
        while (socket.hasReceiveMore()) {
            frames.add(socket.recv(0));
        }
        return frames;
    }
}
