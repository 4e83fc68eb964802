package dev.skiff.kernel.display;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The destination of {@link Display} output: the kernel's current execute request. */
public interface DisplaySink {
    /** Publishes {@code display_data}, or {@code update_display_data} when {@code update} is true. */
    void display(ObjectNode data, String displayId, boolean update);

    /** Adds a {@code page} payload, shown in the frontend's pager, to the running cell's reply. */
    void page(ObjectNode data);

    /** Publishes {@code clear_output}. */
    void clearOutput(boolean wait);
}
