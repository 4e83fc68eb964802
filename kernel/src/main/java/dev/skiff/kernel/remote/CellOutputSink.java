package dev.skiff.kernel.remote;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.OutputSink;
import dev.skiff.kernel.KernelContext;
import dev.skiff.kernel.io.OutputRouter;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Receives what Skiff workers print for calls made by one cell, and the progress of its maps. Output
 * joins the cell's stream output; each map gets a progress bar, published as {@code display_data}
 * and then replaced with {@code update_display_data} at most every {@value #UPDATE_MILLIS} ms, and
 * always when the map ends. Thread-safe.
 */
public final class CellOutputSink implements OutputSink {
    static final long UPDATE_MILLIS = 100;
    private static final int BAR_WIDTH = 30;

    private final OutputRouter router;
    private final KernelContext context;
    private final Map<String, Bar> bars = new HashMap<>();

    public CellOutputSink(OutputRouter router, KernelContext context) {
        this.router = router;
        this.context = context;
    }

    @Override
    public void write(String function, String input, boolean stderr, String text) {
        router.write(stderr ? "stderr" : "stdout", text);
    }

    @Override
    public synchronized void mapProgress(String function, int done, int failed, int total) {
        Bar bar = bars.get(function);
        if (done == 0 || bar == null) {
            bar = new Bar("skiff-map-" + UUID.randomUUID(), total);
            bars.put(function, bar);
            bar.update(done, failed);
            router.flush();
            context.displayData(render(function, bar), null, transientId(bar.id));
            bar.publishedAt = System.nanoTime();
            return;
        }
        if (!bar.update(done, failed)) {
            return;
        }
        boolean due = System.nanoTime() - bar.publishedAt >= UPDATE_MILLIS * 1_000_000;
        if (bar.finished() || due) {
            context.updateDisplayData(render(function, bar), null, transientId(bar.id));
            bar.publishedAt = System.nanoTime();
        }
    }

    private static ObjectNode transientId(String id) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("display_id", id);
        return node;
    }

    static ObjectNode render(String function, Bar bar) {
        String counts = bar.done + "/" + bar.total + " done, " + bar.failed + " failed";
        int filled = bar.total == 0 ? BAR_WIDTH : (int) ((long) bar.done * BAR_WIDTH / bar.total);
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("text/plain", function + " [" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "] " + counts);
        data.put("text/html", "<div><progress value=\"" + bar.done + "\" max=\"" + bar.total
                + "\" style=\"width: 30ex\"></progress> <code>" + escape(function) + "</code> " + counts + "</div>");
        return data;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** One map's counts; updates may arrive out of order, so counts only grow. */
    static final class Bar {
        final String id;
        final int total;
        int done;
        int failed;
        long publishedAt;

        Bar(String id, int total) {
            this.id = id;
            this.total = total;
        }

        /** Applies new counts; returns false when they add nothing. */
        boolean update(int newDone, int newFailed) {
            if (newDone <= done && newFailed <= failed) {
                return done == 0 && newDone == 0;
            }
            done = Math.max(done, newDone);
            failed = Math.max(failed, newFailed);
            return true;
        }

        boolean finished() {
            return done >= total;
        }
    }
}
