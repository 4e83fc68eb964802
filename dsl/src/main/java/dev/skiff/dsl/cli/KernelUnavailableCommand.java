package dev.skiff.dsl.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code skiff kernel} when the kernel spec installer is not on the classpath: it fails with the
 * command that builds it. The installer's own {@code kernel} command replaces this one when present.
 */
@Command(name = "kernel", mixinStandardHelpOptions = true,
        description = "Installs the Jupyter kernel spec when the kernelspec module is on the classpath.")
final class KernelUnavailableCommand implements Callable<Integer> {
    static final String MESSAGE = "skiff kernel: the Jupyter kernel is not on the classpath of this skiff command."
            + " Run ./skiff from the repository root, which builds it for 'kernel' commands, or build it with"
            + " './scripts/mvn -B -DskipTests -pl kernelspec -am package' and add kernelspec/target/classes and the"
            + " jars in kernelspec/target/skiff-kernelspec.classpath to the classpath.";

    @Unmatched
    List<String> arguments;

    @Override
    public Integer call() {
        System.err.println(MESSAGE);
        return 2;
    }
}
