package dev.skiff;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A GPU request in Modal's string form: a type, an optional count after a colon, and for H100 an
 * optional {@code !} that forbids an automatic upgrade to H200. Examples: {@code "any"},
 * {@code "T4"}, {@code "A100-80GB:2"}, {@code "H100!"}. Immutable.
 */
public final class Gpu implements Serializable {
    /** GPU types accepted in a spec, upper-case. */
    public static final Set<String> TYPES = Set.of("ANY", "T4", "L4", "A10", "A10G", "A100", "A100-40GB",
            "A100-80GB", "L40S", "H100", "H200", "B200");
    public static final int MAX_COUNT = 8;

    private static final String ACCEPTED = "accepted forms are TYPE, TYPE:COUNT or H100! with TYPE one of "
            + "any, T4, L4, A10, A10G, A100, A100-40GB, A100-80GB, L40S, H100, H200, B200 and COUNT 1 to "
            + MAX_COUNT + ", for example \"A100-80GB:2\"";

    private final String type;
    private final int count;
    private final boolean exact;

    private Gpu(String type, int count, boolean exact) {
        this.type = type;
        this.count = count;
        this.exact = exact;
    }

    /** Parses one spec such as {@code "A100-80GB:2"}; raises {@link InvalidException} naming the value otherwise. */
    public static Gpu parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new InvalidException("Invalid GPU spec " + (spec == null ? "null" : "\"" + spec + "\"") + ": "
                    + ACCEPTED + ".");
        }
        String text = spec.trim();
        int count = 1;
        int colon = text.indexOf(':');
        if (colon >= 0) {
            String countText = text.substring(colon + 1);
            try {
                count = Integer.parseInt(countText);
            } catch (NumberFormatException e) {
                throw new InvalidException("Invalid GPU spec \"" + spec + "\": count \"" + countText
                        + "\" is not a number; " + ACCEPTED + ".");
            }
            if (count < 1 || count > MAX_COUNT) {
                throw new InvalidException("Invalid GPU spec \"" + spec + "\": count " + count + " is out of range; "
                        + ACCEPTED + ".");
            }
            text = text.substring(0, colon);
        }
        boolean exact = text.endsWith("!");
        if (exact) {
            text = text.substring(0, text.length() - 1);
        }
        String upper = text.toUpperCase(Locale.ROOT);
        if (!TYPES.contains(upper)) {
            throw new InvalidException("Invalid GPU spec \"" + spec + "\": unknown GPU type \"" + text + "\"; "
                    + ACCEPTED + ".");
        }
        if (exact && !upper.equals("H100")) {
            throw new InvalidException("Invalid GPU spec \"" + spec + "\": only H100 accepts \"!\"; " + ACCEPTED + ".");
        }
        return new Gpu(upper.equals("ANY") ? "any" : upper, count, exact);
    }

    /** Parses a preference list; the first type that a backend can place wins. */
    public static List<Gpu> parseAll(List<String> specs) {
        if (specs == null || specs.isEmpty()) {
            throw new InvalidException("Invalid GPU spec list " + specs + ": give at least one spec; " + ACCEPTED + ".");
        }
        List<Gpu> result = new ArrayList<>();
        for (String spec : specs) {
            result.add(parse(spec));
        }
        return List.copyOf(result);
    }

    /** Returns the upper-case type name, or {@code "any"}. */
    public String type() {
        return type;
    }

    public int count() {
        return count;
    }

    /** Returns true for {@code H100!}: an H100 that must not be upgraded to an H200. */
    public boolean exact() {
        return exact;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Gpu g && g.type.equals(type) && g.count == count && g.exact == exact;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, count, exact);
    }

    /** Returns the canonical spec, which {@link #parse} accepts. */
    @Override
    public String toString() {
        return type + (exact ? "!" : "") + (count == 1 ? "" : ":" + count);
    }
}
