package dev.skiff.dsl.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code skiff run SCRIPT [args…]} and {@code skiff run SCRIPT::function [--name value…]} or {@code SCRIPT::Class.method}. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionCommand.class,
        description = {"Runs a Groovy script: its body, then its localEntrypoint if it declares one.",
            "With SCRIPT::FUNCTION, runs the body, then that one function in a worker, and prints its result;",
            "SCRIPT::CLASS.METHOD does the same for a method of a class the script registers.",
            "Ctrl-C cancels the running calls and stops the workers."},
        footer = {"%nExamples:", "  skiff run notebooks/quickstart.groovy",
            "  skiff run notebooks/quickstart.groovy::fibonacci --n 30"})
public final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SCRIPT[::FUNCTION]",
            description = {"The script file, optionally followed by :: and the name of a function it registers, "
                + "or by ::CLASS.METHOD for a method of a class it registers with app.cls."})
    String target;

    @Parameters(index = "1..*", paramLabel = "ARG",
            description = {"Without ::FUNCTION: the script's args, and --name value for each parameter of its "
                + "localEntrypoint.", "With ::FUNCTION: --name value for each parameter of the function. "
                + "Values are converted to the declared parameter types; untyped parameters get text."})
    List<String> args = new ArrayList<>();

    @Option(names = "--stacktrace", description = "Print every stack frame of a failure, Groovy's and Skiff's "
            + "included, instead of the script's frames only.")
    boolean stacktrace;

    @Override
    public Integer call() {
        ScriptRunner runner = new ScriptRunner(System.out, System.err, stacktrace);
        int separator = target.lastIndexOf("::");
        if (separator < 0) {
            return runner.run(target, args.toArray(String[]::new), ScriptRunner.entrypoint(args));
        }
        String file = target.substring(0, separator);
        String function = target.substring(separator + 2);
        if (function.isEmpty()) {
            System.err.println("skiff: missing function name after '::' in " + target);
            return 2;
        }
        return runner.run(file, new String[0], runner.function(function, file, args));
    }
}
