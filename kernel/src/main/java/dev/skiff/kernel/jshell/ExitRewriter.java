package dev.skiff.kernel.jshell;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Redirects {@code System.exit(int)} in a class file to {@link CellExit#exit(int)}. It appends a
 * class constant for {@code CellExit} to the constant pool and points each method reference to
 * {@code System.exit} at it; the descriptor is the same, so no instruction changes.
 */
final class ExitRewriter {
    private static final String TARGET = CellExit.class.getName().replace('.', '/');

    private ExitRewriter() {
    }

    /** Returns {@code bytes} with System.exit redirected, or {@code bytes} itself when nothing calls it. */
    static byte[] rewrite(byte[] bytes) {
        ClassFile file = ClassFile.parse(bytes);
        List<Integer> exitRefs = new ArrayList<>();
        for (int i = 1; i < file.constantCount; i++) {
            if (file.tag(i) == ClassFile.METHODREF) {
                ClassFile.MemberRef ref = file.member(i);
                if (ref.owner().equals("java/lang/System") && ref.name().equals("exit")
                        && ref.descriptor().equals("(I)V")) {
                    exitRefs.add(i);
                }
            }
        }
        if (exitRefs.isEmpty()) {
            return bytes;
        }
        int utf8Index = file.constantCount;
        int classIndex = file.constantCount + 1;
        byte[] copy = bytes.clone();
        for (int ref : exitRefs) {
            int offset = file.offsets[ref] + 1;
            copy[offset] = (byte) (classIndex >>> 8);
            copy[offset + 1] = (byte) classIndex;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + TARGET.length() + 8);
        try {
            DataOutputStream data = new DataOutputStream(out);
            data.write(copy, 0, 8);
            data.writeShort(file.constantCount + 2);
            data.write(copy, 10, file.poolEnd - 10);
            data.writeByte(ClassFile.UTF8);
            data.writeUTF(TARGET);
            data.writeByte(ClassFile.CLASS);
            data.writeShort(utf8Index);
            data.write(copy, file.poolEnd, copy.length - file.poolEnd);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
