package dev.skiff.dsl.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** {@code skiff version}: the Skiff, Groovy and Java versions. */
@Command(name = "version", mixinStandardHelpOptions = true, versionProvider = VersionCommand.class,
        description = "Prints the versions of Skiff, Groovy and Java.")
public final class VersionCommand implements Callable<Integer>, IVersionProvider {
    @Override
    public Integer call() {
        for (String line : getVersion()) {
            System.out.println(line);
        }
        return 0;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"skiff " + skiffVersion(), "Groovy " + groovy.lang.GroovySystem.getVersion(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
    }

    /** Returns the project version that the build wrote into the jar, or "unknown". */
    static String skiffVersion() {
        try (InputStream in = VersionCommand.class.getResourceAsStream("/dev/skiff/dsl/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
