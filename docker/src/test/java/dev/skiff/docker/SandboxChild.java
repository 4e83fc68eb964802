package dev.skiff.docker;

import dev.skiff.ContainerProcess;
import dev.skiff.Sandbox;

/**
 * A second JVM for {@link SandboxIT}: finds the sandbox whose id is its argument, runs a command in
 * it that leaves a file behind, and prints {@code poll=...}, {@code stdout=...} and {@code exit=...}.
 */
public final class SandboxChild {
    private SandboxChild() {
    }

    public static void main(String[] args) throws Exception {
        Sandbox sandbox = Sandbox.fromId(args[0]);
        System.out.println("poll=" + sandbox.poll());
        ContainerProcess process = sandbox.exec("sh", "-c", "echo from-child > /tmp/child-mark; echo child ran");
        System.out.println("stdout=" + process.stdout().text().strip());
        System.out.println("exit=" + process.waitFor());
        System.out.flush();
    }
}
