package dev.skiff.kernel.remote;

import dev.skiff.kernel.jshell.MethodScan;
import dev.skiff.kernel.jshell.SnippetClasses;
import java.lang.invoke.SerializedLambda;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * Finds the static fields of snippet classes that a function body reads: the {@code getstatic}
 * instructions of its code and of the snippet methods it calls, followed transitively. A method
 * with {@code invokedynamic} also counts the lambda methods of its class, which over-approximates.
 */
final class StaticReads {
    private StaticReads() {
    }

    /** Returns {@code className#fieldName} of every snippet static field that the lambda may read. */
    static Set<String> ofLambda(SnippetClasses classes, SerializedLambda lambda) {
        Deque<String[]> pending = new ArrayDeque<>();
        pending.push(new String[] {lambda.getImplClass().replace('/', '.'), lambda.getImplMethodName(),
                lambda.getImplMethodSignature()});
        return walk(classes, pending);
    }

    /** Returns the snippet static fields that any method of {@code className} may read. */
    static Set<String> ofClass(SnippetClasses classes, String className) {
        Deque<String[]> pending = new ArrayDeque<>();
        pending.push(new String[] {className, null, null});
        return walk(classes, pending);
    }

    private static Set<String> walk(SnippetClasses classes, Deque<String[]> pending) {
        Set<String> reads = new HashSet<>();
        Set<String> visited = new HashSet<>();
        while (!pending.isEmpty()) {
            String[] method = pending.pop();
            String key = String.join(" ", method[0], String.valueOf(method[1]), String.valueOf(method[2]));
            if (!visited.add(key)) {
                continue;
            }
            byte[] bytes = classes.bytes(method[0]);
            if (bytes == null) {
                continue;
            }
            MethodScan.scan(bytes, method[1], method[2], (owner, name, descriptor, isField) -> {
                String ownerName = owner.replace('/', '.');
                if (!classes.isSnippetClass(ownerName)) {
                    return;
                }
                if (isField) {
                    reads.add(ownerName + "#" + name);
                } else {
                    pending.push(new String[] {ownerName, name, descriptor});
                }
            });
        }
        return reads;
    }
}
