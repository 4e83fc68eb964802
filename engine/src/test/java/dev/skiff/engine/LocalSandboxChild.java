package dev.skiff.engine;

import dev.skiff.ContainerProcess;
import dev.skiff.Sandbox;
import dev.skiff.SandboxOptions;

/** A JVM that starts a local sandbox with a long command, prints the command's pid and waits to be killed. */
public final class LocalSandboxChild {
    private LocalSandboxChild() {
    }

    public static void main(String[] args) throws Exception {
        Sandbox sandbox = Sandbox.create(SandboxOptions.defaults().backend("local").timeout(java.time.Duration.ofMinutes(5)));
        ContainerProcess process = sandbox.exec("sh", "-c", "echo $$; exec sleep 300");
        System.out.println("sandbox=" + sandbox.objectId() + " pid=" + process.stdout().readLine());
        System.out.flush();
        Thread.sleep(120_000);
    }
}
