package dev.skiff.docker;

import dev.skiff.App;
import dev.skiff.Engine;
import dev.skiff.Function;
import dev.skiff.FunctionOptions;

/**
 * A JVM that runs one long docker function call and blocks on it until it is killed. It prints
 * {@code engine=ID} first, and the call prints {@link #RUNNING} once its container runs it.
 */
public final class DockerOrphanParent {
    /** The output line of the call, forwarded to this JVM's standard output with a tag in front. */
    static final String RUNNING = "sleeper call is running";

    private DockerOrphanParent() {
    }

    public static void main(String[] args) {
        Engine engine = Engine.embedded();
        System.out.println("engine=" + engine.id());
        System.out.flush();
        Function<String> sleeper = App.named("orphans", engine).function("sleeper",
                FunctionOptions.defaults().backend("docker"), () -> {
                    System.out.println(RUNNING);
                    Thread.sleep(600_000);
                    return "woke up";
                });
        // Blocks until the test kills this JVM, or the call ends after 10 minutes.
        sleeper.spawn().get();
    }
}
