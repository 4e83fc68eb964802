package dev.skiff;

import java.util.ArrayList;
import java.util.List;

/** A JVM that starts two workers, prints their pids and waits to be killed. */
public final class OrphanParent {
    private OrphanParent() {
    }

    public static void main(String[] args) throws Exception {
        Engine engine = Engine.embedded();
        Function<Long> pid = App.named("orphans", engine).function("pid",
                FunctionOptions.defaults().maxContainers(2), () -> {
                    Thread.sleep(1000);
                    return ProcessHandle.current().pid();
                });
        List<FunctionCall<Long>> calls = new ArrayList<>();
        calls.add(pid.spawn());
        calls.add(pid.spawn());
        System.out.println("workers=" + FunctionCall.gather(calls));
        System.out.flush();
        Thread.sleep(120_000);
    }
}
