package dev.skiff.serial;

import dev.skiff.InvalidException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Encodes arguments and results as bytes. Common immutable values (null, Integer, Long, Double,
 * Boolean, String) use a compact tagged form. Anything else goes through Java serialization and is
 * read back through the class loader of the code bundle that defines it.
 */
public final class Payloads {
    private static final byte NULL = 0;
    private static final byte INT = 1;
    private static final byte LONG = 2;
    private static final byte DOUBLE = 3;
    private static final byte STRING = 4;
    private static final byte TRUE = 5;
    private static final byte FALSE = 6;
    private static final byte SERIALIZED = 7;

    private Payloads() {
    }

    /**
     * Encodes an argument list.
     *
     * @param description a description of the call for error messages, such as {@code "square.remote"}
     * @throws InvalidException when an argument cannot be serialized, naming its position and type
     */
    public static byte[] encodeArguments(Object[] args, String description) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + 8 * args.length);
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            out.writeInt(args.length);
            for (int i = 0; i < args.length; i++) {
                try {
                    writeValue(out, args[i]);
                } catch (NotSerializableException e) {
                    throw new InvalidException("Cannot send argument " + (i + 1) + " of " + description + ": "
                            + describe(args[i], e) + " Pass a value that implements java.io.Serializable.", e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Decodes an argument list written by {@link #encodeArguments}. */
    public static Object[] decodeArguments(byte[] data, ClassLoader loader) throws IOException, ClassNotFoundException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
        int count = in.readInt();
        Object[] args = new Object[count];
        for (int i = 0; i < count; i++) {
            args[i] = readValue(in, loader);
        }
        return args;
    }

    /**
     * Encodes one value, such as a result.
     *
     * @throws NotSerializableException when the value or something it references is not serializable
     */
    public static byte[] encodeValue(Object value) throws NotSerializableException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16);
        try {
            writeValue(new DataOutputStream(bytes), value);
        } catch (NotSerializableException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Decodes one value written by {@link #encodeValue}. */
    public static Object decodeValue(byte[] data, ClassLoader loader) throws IOException, ClassNotFoundException {
        return readValue(new DataInputStream(new ByteArrayInputStream(data)), loader);
    }

    /** Serializes any object with Java serialization. */
    public static byte[] serialize(Object value) throws NotSerializableException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (NotSerializableException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Deserializes an object written by {@link #serialize}, resolving classes through {@code loader}. */
    public static Object deserialize(byte[] data, ClassLoader loader) throws IOException, ClassNotFoundException {
        try (LoaderObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(data), loader)) {
            return in.readObject();
        }
    }

    /** Returns a sentence naming the value's type and, when different, the type that failed to serialize. */
    public static String describe(Object value, NotSerializableException e) {
        String type = value == null ? "null" : value.getClass().getName();
        String culprit = e.getMessage();
        if (culprit == null || culprit.equals(type)) {
            return "a value of type " + type + " is not serializable.";
        }
        return "a value of type " + type + " refers to " + culprit + ", which is not serializable.";
    }

    private static void writeValue(DataOutputStream out, Object value) throws IOException {
        if (value == null) {
            out.writeByte(NULL);
        } else if (value instanceof Integer i) {
            out.writeByte(INT);
            out.writeInt(i);
        } else if (value instanceof Long l) {
            out.writeByte(LONG);
            out.writeLong(l);
        } else if (value instanceof Double d) {
            out.writeByte(DOUBLE);
            out.writeDouble(d);
        } else if (value instanceof Boolean b) {
            out.writeByte(b ? TRUE : FALSE);
        } else if (value instanceof String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            out.writeByte(STRING);
            out.writeInt(utf8.length);
            out.write(utf8);
        } else {
            byte[] serialized = serialize(value);
            out.writeByte(SERIALIZED);
            out.writeInt(serialized.length);
            out.write(serialized);
        }
    }

    private static Object readValue(DataInputStream in, ClassLoader loader) throws IOException, ClassNotFoundException {
        byte tag = in.readByte();
        switch (tag) {
            case NULL:
                return null;
            case INT:
                return in.readInt();
            case LONG:
                return in.readLong();
            case DOUBLE:
                return in.readDouble();
            case TRUE:
                return Boolean.TRUE;
            case FALSE:
                return Boolean.FALSE;
            case STRING: {
                byte[] utf8 = new byte[in.readInt()];
                in.readFully(utf8);
                return new String(utf8, StandardCharsets.UTF_8);
            }
            case SERIALIZED: {
                byte[] serialized = new byte[in.readInt()];
                in.readFully(serialized);
                return deserialize(serialized, loader);
            }
            default:
                throw new IOException("Corrupt payload: unknown value tag " + tag);
        }
    }
}
