package dev.skiff.serial;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * An exception crossing a process boundary: its type name, message and stack trace text, plus
 * the serialized exception when it could be serialized, so the caller can rebuild the original type.
 */
public record ErrorPayload(String type, String message, String stackTrace, byte[] serialized) {

    /**
     * Captures {@code error}, serializing it when possible. An exception whose message, stack trace
     * or serialization fails is described by the parts that could be read, so that the caller
     * still receives an error.
     */
    public static ErrorPayload of(Throwable error) {
        String type = error.getClass().getName();
        String message;
        try {
            message = error.getMessage();
        } catch (Throwable e) {
            message = "(getMessage() failed: " + e.getClass().getName() + ")";
        }
        String stackTrace;
        try {
            StringWriter text = new StringWriter();
            error.printStackTrace(new PrintWriter(text));
            stackTrace = text.toString();
        } catch (Throwable e) {
            StringBuilder frames = new StringBuilder(type).append('\n');
            for (StackTraceElement frame : error.getStackTrace()) {
                frames.append("\tat ").append(frame).append('\n');
            }
            stackTrace = frames.toString();
        }
        byte[] serialized;
        try {
            serialized = Payloads.serialize(error);
        } catch (Throwable e) {
            serialized = new byte[0];
        }
        return new ErrorPayload(type, message, stackTrace, serialized);
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + serialized.length);
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            writeString(out, type);
            writeString(out, message);
            writeString(out, stackTrace);
            out.writeInt(serialized.length);
            out.write(serialized);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static ErrorPayload decode(byte[] data) {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
        try {
            String type = readString(in);
            String message = readString(in);
            String stackTrace = readString(in);
            byte[] serialized = new byte[in.readInt()];
            in.readFully(serialized);
            return new ErrorPayload(type, message, stackTrace, serialized);
        } catch (IOException e) {
            throw new UncheckedIOException("Corrupt error payload", e);
        }
    }

    static void writeString(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] utf8 = new byte[length];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
