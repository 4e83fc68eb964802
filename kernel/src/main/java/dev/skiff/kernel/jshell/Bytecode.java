package dev.skiff.kernel.jshell;

/** Walks JVM bytecode instruction by instruction (JVM specification, chapter 6). */
final class Bytecode {
    static final int GETSTATIC = 0xB2;
    static final int PUTSTATIC = 0xB3;
    static final int INVOKEVIRTUAL = 0xB6;
    static final int INVOKESPECIAL = 0xB7;
    static final int INVOKESTATIC = 0xB8;
    static final int INVOKEINTERFACE = 0xB9;
    static final int INVOKEDYNAMIC = 0xBA;

    /** Receives each instruction that refers to a constant pool entry with a two-byte index. */
    @FunctionalInterface
    interface ConstantUse {
        void accept(int opcode, int constantIndex);
    }

    private Bytecode() {
    }

    /** Calls {@code use} for every field access, invocation, {@code new} and type check in {@code code}. */
    static void forEachConstantUse(byte[] code, ConstantUse use) {
        int pc = 0;
        while (pc < code.length) {
            int opcode = code[pc] & 0xFF;
            if ((opcode >= GETSTATIC && opcode <= INVOKEDYNAMIC) || opcode == 0xBB || opcode == 0xBD
                    || opcode == 0xC0 || opcode == 0xC1 || opcode == 0xC5 || opcode == 0x13 || opcode == 0x14) {
                use.accept(opcode, ((code[pc + 1] & 0xFF) << 8) | (code[pc + 2] & 0xFF));
            }
            pc += length(code, pc);
        }
    }

    /** Returns the length in bytes of the instruction at {@code pc}, operands and padding included. */
    static int length(byte[] code, int pc) {
        int opcode = code[pc] & 0xFF;
        if (opcode == 0xAA || opcode == 0xAB) {
            int operands = (pc + 4) & ~3;
            int defaultAndCounts = opcode == 0xAA ? 12 : 8;
            if (opcode == 0xAA) {
                int low = readInt(code, operands + 4);
                int high = readInt(code, operands + 8);
                return operands - pc + defaultAndCounts + 4 * (high - low + 1);
            }
            int pairs = readInt(code, operands + 4);
            return operands - pc + defaultAndCounts + 8 * pairs;
        }
        if (opcode == 0xC4) {
            return (code[pc + 1] & 0xFF) == 0x84 ? 6 : 4;
        }
        return fixedLength(opcode);
    }

    private static int fixedLength(int opcode) {
        if (opcode == 0x10 || opcode == 0x12 || (opcode >= 0x15 && opcode <= 0x19)
                || (opcode >= 0x36 && opcode <= 0x3A) || opcode == 0xA9 || opcode == 0xBC) {
            return 2;
        }
        if (opcode == 0x11 || opcode == 0x13 || opcode == 0x14 || opcode == 0x84 || (opcode >= 0x99 && opcode <= 0xA8)
                || (opcode >= 0xB2 && opcode <= 0xB8) || opcode == 0xBB || opcode == 0xBD || opcode == 0xC0
                || opcode == 0xC1 || opcode == 0xC6 || opcode == 0xC7) {
            return 3;
        }
        if (opcode == 0xC5) {
            return 4;
        }
        if (opcode == 0xB9 || opcode == 0xBA || opcode == 0xC8 || opcode == 0xC9) {
            return 5;
        }
        return 1;
    }

    private static int readInt(byte[] code, int offset) {
        return ((code[offset] & 0xFF) << 24) | ((code[offset + 1] & 0xFF) << 16) | ((code[offset + 2] & 0xFF) << 8)
                | (code[offset + 3] & 0xFF);
    }
}
