package dev.skiff.kernel.jshell;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of a class file (JVM specification, chapter 4) that the kernel reads: the constant
 * pool, and the code of each method. Entries that the kernel never reads keep only their position.
 */
final class ClassFile {
    static final int UTF8 = 1;
    static final int CLASS = 7;
    static final int FIELDREF = 9;
    static final int METHODREF = 10;
    static final int INTERFACE_METHODREF = 11;
    static final int NAME_AND_TYPE = 12;
    static final int METHOD_HANDLE = 15;

    /** A field or method reference: owner class (internal name), member name and descriptor. */
    record MemberRef(int tag, String owner, String name, String descriptor) {
    }

    final byte[] bytes;
    final int constantCount;
    /** Offset of each constant's tag byte; 0 for unused slots. */
    final int[] offsets;
    /** Offset just past the constant pool, where {@code access_flags} starts. */
    final int poolEnd;
    private final Map<String, byte[]> methodCode = new HashMap<>();
    /** Offset in {@link #bytes} of the first instruction of each method's code, in method order. */
    private final List<Integer> codeOffsets = new ArrayList<>();

    private ClassFile(byte[] bytes) throws IOException {
        this.bytes = bytes;
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file: bad magic number");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        constantCount = in.readUnsignedShort();
        offsets = new int[constantCount];
        int position = 10;
        for (int i = 1; i < constantCount; i++) {
            offsets[i] = position;
            int tag = bytes[position] & 0xFF;
            int size = switch (tag) {
                case UTF8 -> 3 + u2(position + 1);
                case 3, 4 -> 5;
                case 5, 6 -> 9;
                case CLASS, 8, 16, 19, 20 -> 3;
                case FIELDREF, METHODREF, INTERFACE_METHODREF, NAME_AND_TYPE, 17, 18 -> 5;
                case METHOD_HANDLE -> 4;
                default -> throw new IOException("unknown constant pool tag " + tag + " at entry " + i);
            };
            position += size;
            if (tag == 5 || tag == 6) {
                i++;
            }
        }
        poolEnd = position;
        readMembers();
    }

    /** Parses {@code bytes}, throwing {@link UncheckedIOException} when they are not a valid class file. */
    static ClassFile parse(byte[] bytes) {
        try {
            return new ClassFile(bytes);
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException(new IOException("cannot parse class file: " + e.getMessage(), e));
        }
    }

    int tag(int index) {
        return offsets[index] == 0 ? 0 : bytes[offsets[index]] & 0xFF;
    }

    String utf8(int index) {
        int offset = offsets[index];
        try {
            return new DataInputStream(new ByteArrayInputStream(bytes, offset + 1, 2 + u2(offset + 1))).readUTF();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String className(int classIndex) {
        return utf8(u2(offsets[classIndex] + 1));
    }

    /** Returns the field or method reference at {@code index}. */
    MemberRef member(int index) {
        int offset = offsets[index];
        int nameAndType = offsets[u2(offset + 3)];
        return new MemberRef(tag(index), className(u2(offset + 1)), utf8(u2(nameAndType + 1)),
                utf8(u2(nameAndType + 3)));
    }

    /** Returns every UTF-8 constant, which includes class names, descriptors and signatures. */
    List<String> strings() {
        List<String> result = new ArrayList<>();
        for (int i = 1; i < constantCount; i++) {
            if (tag(i) == UTF8) {
                result.add(utf8(i));
            }
        }
        return result;
    }

    /** Returns this class's internal name, such as {@code REPL/$JShell$12}. */
    String thisClass() {
        return className(u2(poolEnd + 2));
    }

    /** Returns the bytecode of method {@code name + descriptor}, or null when it has none. */
    byte[] code(String name, String descriptor) {
        return methodCode.get(name + descriptor);
    }

    /** Returns every method's key ({@code name + descriptor}). */
    Iterable<String> methodKeys() {
        return methodCode.keySet();
    }

    /** Returns the offset in {@link #bytes} of the first instruction of every method with code. */
    List<Integer> codeOffsets() {
        return codeOffsets;
    }

    int u2(int offset) {
        return ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
    }

    int u4(int offset) {
        return (u2(offset) << 16) | u2(offset + 2);
    }

    private void readMembers() {
        int position = poolEnd + 6;
        position += 2 + 2 * u2(position);
        int fieldCount = u2(position);
        position += 2;
        for (int i = 0; i < fieldCount; i++) {
            position = skipAttributes(position + 6);
        }
        int methodCount = u2(position);
        position += 2;
        for (int i = 0; i < methodCount; i++) {
            String key = utf8(u2(position + 2)) + utf8(u2(position + 4));
            int attributes = u2(position + 6);
            position += 8;
            for (int a = 0; a < attributes; a++) {
                int length = u4(position + 2);
                if ("Code".equals(utf8(u2(position)))) {
                    int codeLength = u4(position + 10);
                    byte[] code = new byte[codeLength];
                    System.arraycopy(bytes, position + 14, code, 0, codeLength);
                    methodCode.put(key, code);
                    codeOffsets.add(position + 14);
                }
                position += 6 + length;
            }
        }
    }

    private int skipAttributes(int position) {
        int count = u2(position);
        position += 2;
        for (int i = 0; i < count; i++) {
            position += 6 + u4(position + 2);
        }
        return position;
    }
}
