package dev.skiff.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Reads a message written by {@link MessageWriter}. Not thread-safe. */
public final class MessageReader {
    private final ByteBuffer buffer;
    private final byte type;

    public MessageReader(byte[] message) {
        this.buffer = ByteBuffer.wrap(message);
        this.type = buffer.get();
    }

    public byte type() {
        return type;
    }

    public byte getByte() {
        return buffer.get();
    }

    public int getInt() {
        return buffer.getInt();
    }

    public long getLong() {
        return buffer.getLong();
    }

    public byte[] getBytes() {
        int length = buffer.getInt();
        if (length < 0) {
            return null;
        }
        byte[] value = new byte[length];
        buffer.get(value);
        return value;
    }

    public String getString() {
        byte[] utf8 = getBytes();
        return utf8 == null ? null : new String(utf8, StandardCharsets.UTF_8);
    }

    public boolean hasRemaining() {
        return buffer.hasRemaining();
    }
}
