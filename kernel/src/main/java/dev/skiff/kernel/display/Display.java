package dev.skiff.kernel.display;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.UUID;

/**
 * Rich output for cells; the kernel imports these methods statically. {@code display(value)} shows
 * a value below the cell; a display id lets {@link #updateDisplay} replace it later, even from
 * another cell. Images show as PNG; {@link #html}, {@link #markdown} and {@link #json} mark text
 * with a MIME type.
 */
public final class Display {
    private static volatile DisplaySink sink;

    private Display() {
    }

    /** Sets where displays go; called by the kernel at start. */
    public static void sink(DisplaySink target) {
        sink = target;
    }

    /** Shows {@code value} below the running cell. */
    public static void display(Object value) {
        requireSink().display(MimeRenderer.render(value, null), null, false);
    }

    /**
     * Shows {@code value} under {@code displayId}, so that {@link #updateDisplay} can replace it,
     * and returns the id. A null id gets a random one.
     */
    public static String display(Object value, String displayId) {
        String id = displayId != null ? displayId : UUID.randomUUID().toString();
        requireSink().display(MimeRenderer.render(value, null), id, false);
        return id;
    }

    /** Replaces every output shown with {@code displayId} by {@code value}. */
    public static void updateDisplay(String displayId, Object value) {
        Objects.requireNonNull(displayId, "displayId");
        requireSink().display(MimeRenderer.render(value, null), displayId, true);
    }

    /** Shows {@code value} in the frontend's pager, such as the help panel of JupyterLab, once the cell ends. */
    public static void page(Object value) {
        requireSink().page(MimeRenderer.render(value, null));
    }

    /** Clears the running cell's output at once. */
    public static void clearOutput() {
        clearOutput(false);
    }

    /** Clears the running cell's output; with {@code wait}, only when the next output arrives, to avoid flicker. */
    public static void clearOutput(boolean wait) {
        requireSink().clearOutput(wait);
    }

    /** Returns HTML to display. */
    public static MimeData html(String html) {
        return new MimeData("text/html", html, html);
    }

    /** Returns Markdown to display. */
    public static MimeData markdown(String markdown) {
        return new MimeData("text/markdown", markdown, markdown);
    }

    /** Returns JSON to display: JSON text, or a map, list, record or bean that Jackson converts. */
    public static MimeData json(Object value) {
        var tree = MimeRenderer.toJson(value);
        return new MimeData("application/json", tree, tree.toPrettyString());
    }

    /** Returns {@code data} marked with any MIME type, such as {@code image/svg+xml}. */
    public static MimeData mime(String mimeType, String data) {
        return new MimeData(mimeType, data, data);
    }

    /** Returns the MIME bundle that {@link #display(Object)} would publish for {@code value}. */
    public static ObjectNode bundle(Object value) {
        return MimeRenderer.render(value, null);
    }

    private static DisplaySink requireSink() {
        DisplaySink target = sink;
        if (target == null) {
            throw new IllegalStateException("display() works only inside the Skiff Jupyter kernel");
        }
        return target;
    }
}
