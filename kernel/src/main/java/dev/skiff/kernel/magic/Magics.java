package dev.skiff.kernel.magic;

import dev.skiff.docker.MavenArtifacts;
import dev.skiff.kernel.groovy.GroovyEvaluator;
import dev.skiff.kernel.jshell.Evaluator;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.aether.resolution.DependencyResolutionException;

/**
 * Magic commands in cells. A line magic is a line starting with {@code %}: {@code %maven} adds
 * Maven artifacts to the classpath of cells and of Skiff workers, {@code %classpath} lists or adds
 * classpath entries, {@code %lsmagic} lists the magics. A cell magic goes on the first line:
 * {@code %%time} reports how long the rest of the cell took, and {@code %%groovy} runs the rest of
 * the cell as Groovy, whose lines are not searched for magics. Line magics run before the cell's code.
 */
public final class Magics {
    static final List<String> LINE_MAGICS = List.of("classpath", "lsmagic", "maven");
    static final List<String> CELL_MAGICS = List.of("groovy", "time");
    /** The cell magic whose body is Groovy code. */
    public static final String GROOVY = "groovy";

    /** A line magic: its name without {@code %}, its arguments and its line in the cell (1-based). */
    public record LineMagic(String name, String arguments, int line) {
    }

    /**
     * A parsed cell.
     *
     * @param code the Java code, with magic lines replaced by empty lines so that line numbers stay.
     *     For {@code %%groovy} it is the Groovy code: the lines after the {@code %%groovy} line.
     * @param lineMagics the line magics in order
     * @param cellMagic the cell magic's name without {@code %%}, or null
     */
    public record Cell(String code, List<LineMagic> lineMagics, String cellMagic) {
    }

    private final Evaluator evaluator;
    private final GroovyEvaluator groovy;
    private final MavenArtifacts maven = new MavenArtifacts();

    /** Creates the magics of a kernel whose classpath additions go to both its Java and its Groovy cells. */
    public Magics(Evaluator evaluator, GroovyEvaluator groovy) {
        this.evaluator = evaluator;
        this.groovy = groovy;
    }

    /** Splits the magics from the code of a cell, rejecting unknown magics with the list of known ones. */
    public static Cell parse(String code) throws MagicException {
        String[] lines = code.split("\n", -1);
        List<LineMagic> magics = new ArrayList<>();
        String cellMagic = null;
        boolean codeSeen = false;
        for (int i = 0; i < lines.length; i++) {
            String text = lines[i].strip();
            if (text.startsWith("%%")) {
                String name = text.substring(2).split("\\s+", 2)[0];
                if (!CELL_MAGICS.contains(name)) {
                    throw new MagicException("Unknown cell magic %%" + name + ". " + known());
                }
                if (codeSeen || cellMagic != null) {
                    throw new MagicException("Cell magic %%" + name + " must be on the first line of the cell.");
                }
                if (name.equals(GROOVY)) {
                    if (!text.equals("%%" + GROOVY)) {
                        throw new MagicException("Cell magic %%groovy takes no arguments."
                                + " Put the Groovy code on the lines after it.");
                    }
                    String body = String.join("\n", Arrays.asList(lines).subList(i + 1, lines.length));
                    return new Cell(body, magics, GROOVY);
                }
                cellMagic = name;
                lines[i] = "";
            } else if (text.length() > 1 && text.charAt(0) == '%' && Character.isLetter(text.charAt(1))) {
                String[] parts = text.substring(1).split("\\s+", 2);
                if (!LINE_MAGICS.contains(parts[0])) {
                    throw new MagicException("Unknown magic %" + parts[0] + ". " + known());
                }
                magics.add(new LineMagic(parts[0], parts.length > 1 ? parts[1].strip() : "", i + 1));
                lines[i] = "";
            } else if (!text.isEmpty()) {
                codeSeen = true;
            }
        }
        return new Cell(String.join("\n", lines), magics, cellMagic);
    }

    /** Returns the sentence listing the known magics. */
    public static String known() {
        return "Line magics: " + LINE_MAGICS.stream().map(m -> "%" + m).collect(Collectors.joining(", "))
                + ". Cell magics: " + CELL_MAGICS.stream().map(m -> "%%" + m).collect(Collectors.joining(", ")) + ".";
    }

    /** Runs one line magic, printing its report to {@code out}. */
    public void run(LineMagic magic, PrintStream out) throws MagicException {
        switch (magic.name()) {
            case "lsmagic" -> out.println(known());
            case "classpath" -> classpath(magic.arguments(), out);
            case "maven" -> maven(magic.arguments(), out);
            default -> throw new MagicException("Unknown magic %" + magic.name() + ". " + known());
        }
    }

    private void maven(String arguments, PrintStream out) throws MagicException {
        if (arguments.isBlank()) {
            throw new MagicException("%maven needs coordinates, such as %maven org.apache.commons:commons-lang3:3.17.0");
        }
        for (String coordinates : arguments.split("\\s+")) {
            List<Path> jars;
            try {
                jars = maven.resolve(coordinates);
            } catch (IllegalArgumentException e) {
                throw new MagicException("Invalid Maven coordinates " + coordinates
                        + ": use group:artifact:version, such as org.apache.commons:commons-lang3:3.17.0", e);
            } catch (DependencyResolutionException e) {
                throw new MagicException("Cannot resolve " + coordinates + ": " + e.getMessage(), e);
            }
            for (Path jar : jars) {
                addToClasspath(jar.toString());
            }
            out.println("Added " + coordinates + " (" + jars.size() + (jars.size() == 1 ? " jar" : " jars")
                    + ") to the classpath: " + jars.stream().map(j -> j.getFileName().toString())
                    .collect(Collectors.joining(", ")));
        }
    }

    private void addToClasspath(String entry) {
        evaluator.addToClasspath(entry);
        groovy.addToClasspath(entry);
    }

    private void classpath(String arguments, PrintStream out) throws MagicException {
        if (arguments.isBlank()) {
            for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
                out.println(entry);
            }
            evaluator.classes().addedClasspath().forEach(out::println);
            return;
        }
        for (String entry : arguments.split("\\s+")) {
            Path path = Path.of(entry).toAbsolutePath().normalize();
            if (!Files.exists(path)) {
                throw new MagicException("Cannot add " + entry + " to the classpath: " + path + " does not exist.");
            }
            addToClasspath(path.toString());
            out.println("Added " + path + " to the classpath.");
        }
    }
}
