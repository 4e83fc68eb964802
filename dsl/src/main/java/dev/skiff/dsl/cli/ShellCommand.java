package dev.skiff.dsl.cli;

import dev.skiff.dsl.repl.Shell;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code skiff shell}. */
@Command(name = "shell", mixinStandardHelpOptions = true, versionProvider = VersionCommand.class,
        description = {"Starts an interactive Groovy shell with the Skiff DSL loaded: define apps, functions and "
            + "classes at the prompt and call them with remote, map and spawn.",
            "History is kept in SKIFF_HOME/shell_history (default ~/.skiff). Type :help for the commands."})
public final class ShellCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        return new Shell().run();
    }
}
