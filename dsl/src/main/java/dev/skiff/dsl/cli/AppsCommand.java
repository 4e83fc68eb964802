package dev.skiff.dsl.cli;

import dev.skiff.DeployedApps;
import dev.skiff.InvalidException;
import dev.skiff.SkiffHome;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Parameters;

/** {@code skiff apps list} and {@code skiff apps stop NAME}. */
@Command(name = "apps", mixinStandardHelpOptions = true, versionProvider = VersionCommand.class,
        description = "Lists or stops the apps deployed under the Skiff home (SKIFF_HOME, default ~/.skiff).")
public final class AppsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Prints the names of the deployed apps, "
            + "one a line, sorted.")
    int list() {
        List<String> names = DeployedApps.list();
        if (names.isEmpty()) {
            System.err.println("No apps deployed in " + SkiffHome.path().resolve("apps") + ".");
        }
        names.forEach(System.out::println);
        return 0;
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Removes a deployed app, so that "
            + "Function.fromName no longer finds its functions.")
    int stop(@Parameters(paramLabel = "NAME", description = "The app name.") String name) {
        try {
            if (!DeployedApps.remove(name)) {
                System.err.println("skiff: no deployed app named " + name + "; 'skiff apps list' shows them.");
                return 2;
            }
        } catch (InvalidException e) {
            System.err.println("skiff: " + e.getMessage());
            return 2;
        }
        System.out.println("Stopped app " + name + ".");
        return 0;
    }

    /** Prints the usage: {@code skiff apps} needs a subcommand. */
    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return 2;
    }
}
