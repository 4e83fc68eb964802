package dev.skiff.kernelspec;

import dev.skiff.dsl.cli.SubcommandProvider;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code skiff kernel}: commands for the Jupyter kernel, which the CLI finds as a {@link SubcommandProvider}. */
@Command(name = "kernel", mixinStandardHelpOptions = true,
        description = "Manages the Jupyter kernel spec of the Skiff Java kernel.",
        subcommands = {KernelInstallCommand.class, CommandLine.HelpCommand.class})
public final class KernelCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** The service that adds this command to {@code skiff}. */
    public static final class Provider implements SubcommandProvider {
        @Override
        public Object command() {
            return new KernelCommand();
        }
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return 2;
    }
}
