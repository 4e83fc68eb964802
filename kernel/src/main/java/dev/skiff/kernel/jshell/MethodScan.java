package dev.skiff.kernel.jshell;

/** Lists the static field reads and the method calls in the bytecode of snippet classes. */
public final class MethodScan {
    /** Receives each static field read ({@code isField}) or method call, owners as internal names. */
    @FunctionalInterface
    public interface Visitor {
        void visit(String owner, String name, String descriptor, boolean isField);
    }

    private MethodScan() {
    }

    /**
     * Scans method {@code name + descriptor} of the class in {@code classBytes}, or every method when
     * {@code name} is null. A method with {@code invokedynamic} also leads to the class's lambda
     * methods ({@code lambda$…}), reported as calls.
     */
    public static void scan(byte[] classBytes, String name, String descriptor, Visitor visitor) {
        ClassFile file = ClassFile.parse(classBytes);
        String owner = file.thisClass();
        for (String key : file.methodKeys()) {
            int paren = key.indexOf('(');
            String methodName = key.substring(0, paren);
            String methodDescriptor = key.substring(paren);
            if (name != null && !(name.equals(methodName) && (descriptor == null || descriptor.equals(methodDescriptor)))) {
                continue;
            }
            byte[] code = file.code(methodName, methodDescriptor);
            if (code == null) {
                continue;
            }
            boolean[] dynamic = new boolean[1];
            Bytecode.forEachConstantUse(code, (opcode, index) -> {
                if (opcode == Bytecode.GETSTATIC) {
                    ClassFile.MemberRef ref = file.member(index);
                    visitor.visit(ref.owner(), ref.name(), ref.descriptor(), true);
                } else if (opcode >= Bytecode.INVOKEVIRTUAL && opcode <= Bytecode.INVOKEINTERFACE) {
                    ClassFile.MemberRef ref = file.member(index);
                    visitor.visit(ref.owner(), ref.name(), ref.descriptor(), false);
                } else if (opcode == Bytecode.INVOKEDYNAMIC) {
                    dynamic[0] = true;
                }
            });
            if (dynamic[0]) {
                for (String other : file.methodKeys()) {
                    if (other.startsWith("lambda$")) {
                        int p = other.indexOf('(');
                        visitor.visit(owner, other.substring(0, p), other.substring(p), false);
                    }
                }
            }
        }
    }
}
