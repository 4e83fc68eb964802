package dev.skiff.dsl.cli;

import java.io.PrintWriter;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code skiff} command: its subcommands and the exit statuses they share. */
@Command(name = "skiff", mixinStandardHelpOptions = true, versionProvider = VersionCommand.class,
        description = "Runs Groovy scripts whose functions and classes run in worker JVMs.",
        subcommands = {RunCommand.class, DeployCommand.class, AppsCommand.class, ShellCommand.class,
            VersionCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:success", "1:the script failed to compile, raised an exception, or a remote call failed",
            "2:invalid command line: unknown command or option, missing script, unknown function, invalid value"})
public final class SkiffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /**
     * Returns the command line with Skiff's handling of usage errors: one line and exit status 2. It adds
     * the subcommands of each {@link SubcommandProvider} on the classpath, and a {@code kernel} command
     * that explains how to get the kernel when no provider supplies one.
     */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new SkiffCommand());
        for (SubcommandProvider provider : ServiceLoader.load(SubcommandProvider.class, SkiffCommand.class.getClassLoader())) {
            commandLine.addSubcommand(provider.command());
        }
        if (!commandLine.getSubcommands().containsKey("kernel")) {
            commandLine.addSubcommand(new KernelUnavailableCommand());
        }
        commandLine.getSubcommands().get("run").setStopAtPositional(true);
        commandLine.setParameterExceptionHandler(SkiffCommand::usageError);
        commandLine.setExecutionExceptionHandler((error, line, parsed) -> {
            new ErrorReport(java.util.Set.of(), true, null).print(error, System.err);
            return 1;
        });
        return commandLine;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return 2;
    }

    private static int usageError(CommandLine.ParameterException error, String[] args) {
        CommandLine line = error.getCommandLine();
        PrintWriter err = line.getErr();
        String command = line.getCommandSpec().qualifiedName();
        String message = error.getMessage();
        err.println(command + ": " + Character.toLowerCase(message.charAt(0)) + message.substring(1)
                + " (see '" + command + " --help')");
        err.flush();
        return 2;
    }
}
