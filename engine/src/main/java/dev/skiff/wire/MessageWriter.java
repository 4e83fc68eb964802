package dev.skiff.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Builds one binary message between the engine and a worker; big-endian, lengths as ints. Not thread-safe. */
public final class MessageWriter {
    private byte[] buffer;
    private int size;

    public MessageWriter(byte type, int capacity) {
        buffer = new byte[Math.max(16, capacity)];
        buffer[0] = type;
        size = 1;
    }

    public MessageWriter putByte(int value) {
        ensure(1);
        buffer[size++] = (byte) value;
        return this;
    }

    public MessageWriter putInt(int value) {
        ensure(4);
        buffer[size++] = (byte) (value >>> 24);
        buffer[size++] = (byte) (value >>> 16);
        buffer[size++] = (byte) (value >>> 8);
        buffer[size++] = (byte) value;
        return this;
    }

    public MessageWriter putLong(long value) {
        putInt((int) (value >>> 32));
        return putInt((int) value);
    }

    /** Writes a length-prefixed byte array; null is written as length -1. */
    public MessageWriter putBytes(byte[] value) {
        if (value == null) {
            return putInt(-1);
        }
        putInt(value.length);
        ensure(value.length);
        System.arraycopy(value, 0, buffer, size, value.length);
        size += value.length;
        return this;
    }

    /** Writes a length-prefixed UTF-8 string; null is written as length -1. */
    public MessageWriter putString(String value) {
        return putBytes(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    public int size() {
        return size;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    private void ensure(int extra) {
        if (size + extra > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + extra));
        }
    }
}
