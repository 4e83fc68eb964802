package dev.skiff.dsl;

import groovyjarjarasm.asm.ClassReader;
import groovyjarjarasm.asm.ClassVisitor;
import groovyjarjarasm.asm.Handle;
import groovyjarjarasm.asm.MethodVisitor;
import groovyjarjarasm.asm.Opcodes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The names that a closure's code may use as properties or methods. They are the string constants
 * and the names of the dynamic call sites in the closure's class and in the closures nested in it.
 * Script methods that the code calls by name add their own names, and so do their closures,
 * followed transitively. Reads the recorded class files with the ASM copy that ships inside Groovy.
 */
final class ScriptReferences {
    private ScriptReferences() {
    }

    /**
     * Returns the names used by {@code closureClass}, following calls into methods of
     * {@code scriptClass} (null when the closure belongs to no script).
     */
    static Set<String> of(String closureClass, String scriptClass, Map<String, byte[]> classes) {
        Set<String> names = new HashSet<>();
        addClasses(name -> name.equals(closureClass) || name.startsWith(closureClass + "$"), classes, names);
        if (scriptClass == null || !classes.containsKey(scriptClass)) {
            return names;
        }
        Map<String, Set<String>> methods = methodNames(classes.get(scriptClass));
        Set<String> followed = new HashSet<>();
        Deque<String> pending = new ArrayDeque<>(names);
        while (!pending.isEmpty()) {
            String name = pending.pop();
            Set<String> used = methods.get(name);
            if (used == null || name.equals("run") || !followed.add(name)) {
                continue;
            }
            Set<String> found = new HashSet<>(used);
            String methodClosures = scriptClass + "$_" + name + "_closure";
            addClasses(className -> className.startsWith(methodClosures), classes, found);
            for (String item : found) {
                if (names.add(item)) {
                    pending.push(item);
                }
            }
        }
        return names;
    }

    /** Adds the names used by the classes whose binary names {@code selected} accepts. */
    private static void addClasses(Predicate<String> selected, Map<String, byte[]> classes, Set<String> names) {
        classes.forEach((name, bytes) -> {
            if (selected.test(name)) {
                methodNames(bytes).values().forEach(names::addAll);
            }
        });
    }

    /** Returns, for each method of the class, the names its code uses. */
    private static Map<String, Set<String>> methodNames(byte[] classFile) {
        Map<String, Set<String>> result = new HashMap<>();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                Set<String> used = result.computeIfAbsent(name, n -> new HashSet<>());
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitLdcInsn(Object value) {
                        if (value instanceof String text) {
                            used.add(text);
                        }
                    }

                    @Override
                    public void visitMethodInsn(int opcode, String owner, String method, String descriptor,
                            boolean isInterface) {
                        used.add(method);
                    }

                    @Override
                    public void visitFieldInsn(int opcode, String owner, String field, String descriptor) {
                        used.add(field);
                    }

                    @Override
                    public void visitInvokeDynamicInsn(String method, String descriptor, Handle bootstrap,
                            Object... arguments) {
                        used.add(method);
                        for (Object argument : arguments) {
                            if (argument instanceof String text) {
                                used.add(text);
                            }
                        }
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return result;
    }
}
