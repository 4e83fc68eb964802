package dev.skiff.kernel.magic;

import dev.skiff.docker.MavenArtifacts;
import dev.skiff.kernel.jshell.Evaluator;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.aether.resolution.DependencyResolutionException;

/**
 * Magic commands in cells. A line magic is a line starting with {@code %}: {@code %maven} adds
 * Maven artifacts to the classpath of cells and of Skiff workers, {@code %classpath} lists or adds
 * classpath entries, {@code %lsmagic} lists the magics. The cell magic {@code %%time}, on the first
 * line, reports how long the rest of the cell took. Line magics run before the cell's code.
 */
public final class Magics {
    static final List<String> LINE_MAGICS = List.of("classpath", "lsmagic", "maven");
    static final List<String> CELL_MAGICS = List.of("time");

    /** A line magic: its name without {@code %}, its arguments and its line in the cell (1-based). */
    public record LineMagic(String name, String arguments, int line) {
    }

    /**
     * A parsed cell.
     *
     * @param code the Java code, with magic lines replaced by empty lines so that line numbers stay
     * @param lineMagics the line magics in order
     * @param cellMagic the cell magic's name without {@code %%}, or null
     */
    public record Cell(String code, List<LineMagic> lineMagics, String cellMagic) {
    }

    private final Evaluator evaluator;
    private final MavenArtifacts maven = new MavenArtifacts();

    public Magics(Evaluator evaluator) {
        this.evaluator = evaluator;
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
                evaluator.addToClasspath(jar.toString());
            }
            out.println("Added " + coordinates + " (" + jars.size() + (jars.size() == 1 ? " jar" : " jars")
                    + ") to the classpath: " + jars.stream().map(j -> j.getFileName().toString())
                    .collect(Collectors.joining(", ")));
        }
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
            evaluator.addToClasspath(path.toString());
            out.println("Added " + path + " to the classpath.");
        }
    }
}
