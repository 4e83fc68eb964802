package dev.skiff.kernel.jshell;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Redirects the calls that end the JVM in a class file to {@link CellExit}: {@code System.exit(int)}
 * to {@link CellExit#exit(int)}, and {@code Runtime.exit(int)} and {@code Runtime.halt(int)} to
 * {@link CellExit#runtimeExit} and {@link CellExit#runtimeHalt}, which take the {@code Runtime} as
 * their first parameter. It appends the constants it needs to the constant pool. System.exit keeps
 * its descriptor, so only its method reference changes. Each Runtime call is an
 * {@code invokevirtual}, which becomes an {@code invokestatic} of the same length with the same
 * operand stack effect, and each method handle constant of one, such as {@code runtime::exit},
 * becomes a static method handle. Calls through reflection or {@code MethodHandles.Lookup} are not
 * redirected.
 */
final class ExitRewriter {
    private static final String TARGET = CellExit.class.getName().replace('.', '/');
    private static final String RUNTIME_DESCRIPTOR = "(Ljava/lang/Runtime;I)V";
    /** The CellExit method that replaces each Runtime method. */
    private static final Map<String, String> RUNTIME_REPLACEMENTS = Map.of("exit", "runtimeExit", "halt", "runtimeHalt");
    private static final int REF_INVOKE_VIRTUAL = 5;
    private static final int REF_INVOKE_STATIC = 6;

    private ExitRewriter() {
    }

    /** Returns {@code bytes} with the exit calls redirected, or {@code bytes} itself when nothing calls them. */
    static byte[] rewrite(byte[] bytes) {
        ClassFile file = ClassFile.parse(bytes);
        List<Integer> systemExitRefs = new ArrayList<>();
        Map<Integer, String> runtimeRefs = new HashMap<>();
        for (int i = 1; i < file.constantCount; i++) {
            if (file.tag(i) != ClassFile.METHODREF) {
                continue;
            }
            ClassFile.MemberRef ref = file.member(i);
            if (!ref.descriptor().equals("(I)V")) {
                continue;
            }
            if (ref.owner().equals("java/lang/System") && ref.name().equals("exit")) {
                systemExitRefs.add(i);
            } else if (ref.owner().equals("java/lang/Runtime") && RUNTIME_REPLACEMENTS.containsKey(ref.name())) {
                runtimeRefs.put(i, RUNTIME_REPLACEMENTS.get(ref.name()));
            }
        }
        if (systemExitRefs.isEmpty() && runtimeRefs.isEmpty()) {
            return bytes;
        }

        AppendedConstants added = new AppendedConstants(file.constantCount);
        int targetClass = added.classConstant(TARGET);
        byte[] copy = bytes.clone();
        for (int ref : systemExitRefs) {
            int offset = file.offsets[ref] + 1;
            copy[offset] = (byte) (targetClass >>> 8);
            copy[offset + 1] = (byte) targetClass;
        }
        Map<Integer, Integer> replacements = new HashMap<>();
        runtimeRefs.forEach((ref, name) -> replacements.put(ref, added.methodRef(targetClass, name, RUNTIME_DESCRIPTOR)));
        redirectRuntimeCalls(file, copy, replacements);

        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + added.bytes.size());
        try {
            DataOutputStream data = new DataOutputStream(out);
            data.write(copy, 0, 8);
            data.writeShort(added.nextIndex);
            data.write(copy, 10, file.poolEnd - 10);
            added.bytes.writeTo(data);
            data.write(copy, file.poolEnd, copy.length - file.poolEnd);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Turns each {@code invokevirtual} and method handle of a Runtime method in {@code copy} into a static
     * call of its replacement; {@code replacements} maps the old method reference to the new one.
     */
    private static void redirectRuntimeCalls(ClassFile file, byte[] copy, Map<Integer, Integer> replacements) {
        if (replacements.isEmpty()) {
            return;
        }
        for (int codeStart : file.codeOffsets()) {
            int codeLength = file.u4(codeStart - 4);
            byte[] code = new byte[codeLength];
            System.arraycopy(file.bytes, codeStart, code, 0, codeLength);
            int pc = 0;
            while (pc < codeLength) {
                int opcode = code[pc] & 0xFF;
                if (opcode == Bytecode.INVOKEVIRTUAL) {
                    Integer replacement = replacements.get(((code[pc + 1] & 0xFF) << 8) | (code[pc + 2] & 0xFF));
                    if (replacement != null) {
                        copy[codeStart + pc] = (byte) Bytecode.INVOKESTATIC;
                        copy[codeStart + pc + 1] = (byte) (replacement >>> 8);
                        copy[codeStart + pc + 2] = (byte) (replacement & 0xFF);
                    }
                }
                pc += Bytecode.length(code, pc);
            }
        }
        for (int i = 1; i < file.constantCount; i++) {
            if (file.tag(i) != ClassFile.METHOD_HANDLE) {
                continue;
            }
            int offset = file.offsets[i];
            Integer replacement = replacements.get(file.u2(offset + 2));
            if (replacement != null && (file.bytes[offset + 1] & 0xFF) == REF_INVOKE_VIRTUAL) {
                copy[offset + 1] = (byte) REF_INVOKE_STATIC;
                copy[offset + 2] = (byte) (replacement >>> 8);
                copy[offset + 3] = (byte) (replacement & 0xFF);
            }
        }
    }

    /** Constants appended after the existing pool, numbered from its end. */
    private static final class AppendedConstants {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final DataOutputStream data = new DataOutputStream(bytes);
        private final Map<String, Integer> utf8Indexes = new HashMap<>();
        int nextIndex;

        AppendedConstants(int firstIndex) {
            nextIndex = firstIndex;
        }

        int classConstant(String internalName) {
            int name = utf8(internalName);
            return append(ClassFile.CLASS, name, -1);
        }

        int methodRef(int classIndex, String name, String descriptor) {
            int nameAndType = append(ClassFile.NAME_AND_TYPE, utf8(name), utf8(descriptor));
            return append(ClassFile.METHODREF, classIndex, nameAndType);
        }

        private int utf8(String value) {
            Integer existing = utf8Indexes.get(value);
            if (existing != null) {
                return existing;
            }
            try {
                data.writeByte(ClassFile.UTF8);
                data.writeUTF(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            utf8Indexes.put(value, nextIndex);
            return nextIndex++;
        }

        /** Appends a constant with one or two two-byte operands; {@code second} is -1 for none. */
        private int append(int tag, int first, int second) {
            try {
                data.writeByte(tag);
                data.writeShort(first);
                if (second >= 0) {
                    data.writeShort(second);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return nextIndex++;
        }
    }
}
