package dev.skiff.kernelspec;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code skiff kernel install}: writes the kernel spec with {@link KernelSpecInstaller}, for this JVM's
 * {@code java} and classpath.
 */
@Command(name = "install", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Installs the kernel spec of the Skiff Java kernel, replacing one of the same name.",
            "The kernel runs with this command's java (set JAVA_HOME to choose it) and classpath.",
            "JVM options for the kernel come from the environment variable " + KernelSpecInstaller.JAVA_OPTS_VARIABLE
                + " when Jupyter starts it.",
            "Without a location option it installs for all users in /usr/local/share/jupyter/kernels."})
final class KernelInstallCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true)
    Target target;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = KernelSpecInstaller.DEFAULT_NAME,
            description = "Kernel name, the folder name in the kernels folder: letters, digits, '.', '_' and '-'"
                    + " (default: ${DEFAULT-VALUE}).")
    String name;

    /** The mutually exclusive location options. */
    static final class Target {
        @Option(names = "--user", description = "Install for the current user, in $JUPYTER_DATA_DIR/kernels or"
                + " ~/.local/share/jupyter/kernels.")
        boolean user;

        @Option(names = "--sys-prefix", description = "Install in the Python environment of python3 on PATH,"
                + " in sys.prefix/share/jupyter/kernels.")
        boolean sysPrefix;

        @Option(names = "--prefix", paramLabel = "DIR", description = "Install in DIR/share/jupyter/kernels.")
        Path prefix;
    }

    @Override
    public Integer call() {
        Location location = location();
        Path prefix = target == null ? null : target.prefix;
        KernelSpecInstaller.Options options;
        try {
            options = KernelSpecInstaller.Options.current(location, prefix, name);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        try {
            Path folder = KernelSpecInstaller.install(options);
            System.out.println("Installed kernel spec " + name + " in " + folder);
            return 0;
        } catch (AccessDeniedException e) {
            System.err.println("skiff kernel install: permission denied writing " + e.getFile()
                    + ". Run as root, or install with --user, --sys-prefix or --prefix DIR.");
            return 1;
        } catch (IOException | IllegalStateException e) {
            System.err.println("skiff kernel install: cannot install the kernel spec: " + e.getMessage());
            return 1;
        }
    }

    private Location location() {
        if (target == null) {
            return Location.SYSTEM;
        }
        if (target.user) {
            return Location.USER;
        }
        if (target.sysPrefix) {
            return Location.SYS_PREFIX;
        }
        return Location.PREFIX;
    }
}
