package dev.skiff.dsl.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code skiff deploy SCRIPT}. */
@Command(name = "deploy", mixinStandardHelpOptions = true, versionProvider = VersionCommand.class,
        description = {"Runs a script's body, without its localEntrypoint, and deploys every app it creates under "
            + "the Skiff home (SKIFF_HOME, default ~/.skiff).",
            "Other JVMs on this machine then call its functions with Function.fromName(app, name)."})
public final class DeployCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SCRIPT", description = "The script file.")
    String script;

    @Option(names = "--stacktrace", description = "Print every stack frame of a failure.")
    boolean stacktrace;

    @Override
    public Integer call() {
        ScriptRunner runner = new ScriptRunner(System.out, System.err, stacktrace);
        return runner.run(script, new String[0], runner.deploy(script));
    }
}
