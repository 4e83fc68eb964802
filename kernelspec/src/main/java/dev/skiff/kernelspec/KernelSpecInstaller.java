package dev.skiff.kernelspec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.code.CodeBundle;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Installs the Jupyter kernel spec of the Skiff Java kernel: a folder with {@code kernel.json}, two
 * PNG logos and, when the classpath has jars only, a class data sharing archive that shortens the
 * kernel's start. The kernel runs with this JVM's {@code java} and classpath (or the ones given), so
 * the installing JVM must be a JDK. More JVM options come from {@code SKIFF_KERNEL_JAVA_OPTS} when
 * the kernel starts.
 */
public final class KernelSpecInstaller {
    /** Environment variable whose value, split on whitespace, is added to the kernel's JVM options. */
    public static final String JAVA_OPTS_VARIABLE = "SKIFF_KERNEL_JAVA_OPTS";
    public static final String DEFAULT_NAME = "skiff-java";
    static final List<String> DEFAULT_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Xshare:auto", "-Xss2m", "-Xms96m", "-Xmn24m", "-XX:MaxHeapFreeRatio=30", "-XX:MinHeapFreeRatio=10");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    /**
     * The install settings: kernel name, location, java and classpath.
     *
     * @param location where the kernels folder is
     * @param prefix the folder for {@link Location#PREFIX}, else ignored
     * @param name the kernel name, a folder name of letters, digits, '.', '_' and '-'
     * @param java the java executable the kernel runs with
     * @param classpath the kernel's classpath entries
     */
    public record Options(Location location, Path prefix, String name, Path java, List<String> classpath) {
        public Options {
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(java, "java");
            classpath = List.copyOf(classpath);
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("Invalid kernel name \"" + name
                        + "\": use letters, digits, '.', '_' and '-' only.");
            }
            if (location == Location.PREFIX && prefix == null) {
                throw new IllegalArgumentException("--prefix needs a folder");
            }
        }

        /** Returns options for this JVM's java and classpath. */
        public static Options current(Location location, Path prefix, String name) {
            return new Options(location, prefix, name, Path.of(System.getProperty("java.home"), "bin", "java"),
                    CodeBundle.expand(System.getProperty("java.class.path", "")));
        }
    }

    private KernelSpecInstaller() {
    }

    /**
     * Writes the kernel spec and returns its folder, replacing an earlier one of the same name. Recording
     * the class data archive runs the kernel once, which took 10 to 20 s on a 2-core machine.
     *
     * @throws IllegalStateException when this JVM has no jdk.jshell module
     */
    public static Path install(Options options) throws IOException {
        if (ModuleLayer.boot().findModule("jdk.jshell").isEmpty()) {
            throw new IllegalStateException("The Java kernel needs a JDK, but " + System.getProperty("java.home")
                    + " is a runtime without the jdk.jshell module. Install a JDK 17 or newer and run the install"
                    + " with its java.");
        }
        Path folder = KernelLocations.kernelsFolder(options.location(), options.prefix()).resolve(options.name());
        Files.createDirectories(folder);
        Optional<Path> archive = ClassDataArchive.record(options, DEFAULT_JVM_OPTIONS, folder);
        Files.writeString(folder.resolve("kernel.json"), kernelJson(options, archive), StandardCharsets.UTF_8);
        LogoPainter.write(32, folder.resolve("logo-32x32.png"));
        LogoPainter.write(64, folder.resolve("logo-64x64.png"));
        return folder;
    }

    /** Returns the {@code kernel.json} text for {@code options} and the class data archive, if any. */
    static String kernelJson(Options options, Optional<Path> archive) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode spec = json.createObjectNode();
        ArrayNode argv = spec.putArray("argv");
        List<String> jvmOptions = new ArrayList<>(DEFAULT_JVM_OPTIONS);
        archive.ifPresent(file -> {
            jvmOptions.add(shellQuoted("-XX:SharedArchiveFile=" + file));
            if (Runtime.version().feature() >= 19) {
                // Java 19 and later record the archive at exit when the file is missing. NOTE: Temurin 25.0.3
                // did not record it again when a jar's timestamp had changed, so a rebuild needs a new install.
                jvmOptions.add("-XX:+AutoCreateSharedArchive");
            }
            jvmOptions.addAll(ClassDataArchive.QUIET_OPTIONS);
        });
        // sh expands SKIFF_KERNEL_JAVA_OPTS when the kernel starts, then becomes the JVM.
        argv.add("/bin/sh").add("-c")
                .add("exec \"$0\" " + String.join(" ", jvmOptions) + " $" + JAVA_OPTS_VARIABLE
                        + " -cp \"$1\" dev.skiff.kernel.KernelMain -f \"$2\"")
                .add(options.java().toString())
                .add(String.join(File.pathSeparator, options.classpath()))
                .add("{connection_file}");
        spec.put("display_name", "Java " + Runtime.version().feature() + " (Skiff)");
        spec.put("language", "java");
        spec.put("interrupt_mode", "message");
        spec.putObject("env");
        spec.putObject("metadata").put("debugger", false);
        return json.writerWithDefaultPrettyPrinter().writeValueAsString(spec) + "\n";
    }

    /** Quotes {@code text} as one word for sh. */
    private static String shellQuoted(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    /** Installs from the command line: {@code [--user | --sys-prefix | --prefix DIR] [--name NAME]}. */
    public static void main(String[] args) {
        Location location = Location.SYSTEM;
        Path prefix = null;
        String name = DEFAULT_NAME;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--user" -> location = Location.USER;
                case "--sys-prefix" -> location = Location.SYS_PREFIX;
                case "--prefix" -> {
                    location = Location.PREFIX;
                    prefix = Path.of(value(args, ++i, "--prefix"));
                }
                case "--name" -> name = value(args, ++i, "--name");
                default -> usage("Unknown option " + args[i]);
            }
        }
        try {
            Path folder = install(Options.current(location, prefix, name));
            System.out.println("Installed kernel spec " + name + " in " + folder);
        } catch (IOException | RuntimeException e) {
            System.err.println("Cannot install the kernel spec: " + e.getMessage());
            System.exit(1);
        }
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            usage(option + " needs a value");
        }
        return args[index];
    }

    private static void usage(String problem) {
        System.err.println(problem + ". Usage: KernelSpecInstaller [--user | --sys-prefix | --prefix DIR] [--name NAME]");
        System.exit(2);
    }
}
