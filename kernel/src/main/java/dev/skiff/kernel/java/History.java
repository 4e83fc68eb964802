package dev.skiff.kernel.java;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inputs of executed cells, kept across kernel restarts in a JSON-lines file: one object
 * {@code {"session": S, "line": N, "input": CODE}} per cell. Each kernel start opens a new session,
 * numbered one past the highest in the file. The file is read on first use, not when the kernel
 * starts, because it grows with every cell ever run. Thread-safe.
 */
final class History {
    private static final Logger LOG = LoggerFactory.getLogger(History.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One stored cell. */
    record Entry(int session, int line, String input) {
    }

    private final Path file;
    private final List<Entry> entries = new ArrayList<>();
    private int session;

    History(Path file) {
        this.file = file;
    }

    /** Reads the file, once, and numbers this kernel's session. */
    synchronized void load() {
        if (session > 0) {
            return;
        }
        int last = 0;
        if (Files.isRegularFile(file)) {
            try {
                for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (text.isBlank()) {
                        continue;
                    }
                    try {
                        JsonNode node = JSON.readTree(text);
                        Entry entry = new Entry(node.path("session").asInt(), node.path("line").asInt(),
                                node.path("input").asText());
                        entries.add(entry);
                        last = Math.max(last, entry.session());
                    } catch (IOException e) {
                        LOG.warn("Skipped an invalid line of history file {}: {}", file, e.getMessage());
                    }
                }
            } catch (IOException e) {
                LOG.warn("Cannot read history file {}: {}", file, e.toString());
            }
        }
        session = last + 1;
    }

    synchronized int session() {
        load();
        return session;
    }

    /** Stores the input of cell {@code line} of this session. */
    synchronized void add(int line, String input) {
        load();
        Entry entry = new Entry(session, line, input);
        entries.add(entry);
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("session", entry.session());
        node.put("line", entry.line());
        node.put("input", entry.input());
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, node.toString() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.warn("Cannot append to history file {}: {}", file, e.toString());
        }
    }

    /** Returns the {@code history_reply} entries for a {@code history_request}'s content. */
    synchronized ArrayNode query(JsonNode request) {
        load();
        String type = request.path("hist_access_type").asText("tail");
        boolean output = request.path("output").asBoolean(false);
        List<Entry> selected = switch (type) {
            case "range" -> range(request);
            case "search" -> search(request);
            default -> last(entries, request.path("n").asInt(10));
        };
        ArrayNode result = JsonNodeFactory.instance.arrayNode();
        for (Entry entry : selected) {
            ArrayNode row = result.addArray().add(entry.session()).add(entry.line());
            if (output) {
                row.addArray().add(entry.input()).addNull();
            } else {
                row.add(entry.input());
            }
        }
        return result;
    }

    private List<Entry> range(JsonNode request) {
        int requested = request.path("session").asInt(0);
        int target = requested > 0 ? requested : session + requested;
        int start = request.path("start").asInt(0);
        JsonNode stopNode = request.path("stop");
        int stop = stopNode.isNumber() ? stopNode.asInt() : Integer.MAX_VALUE;
        List<Entry> result = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry.session() == target && entry.line() >= start && entry.line() < stop) {
                result.add(entry);
            }
        }
        return result;
    }

    private List<Entry> search(JsonNode request) {
        Pattern pattern = glob(request.path("pattern").asText("*"));
        List<Entry> matches = new ArrayList<>();
        for (Entry entry : entries) {
            if (pattern.matcher(entry.input()).matches()) {
                matches.add(entry);
            }
        }
        if (request.path("unique").asBoolean(false)) {
            Map<String, Entry> latest = new LinkedHashMap<>();
            for (Entry entry : matches) {
                latest.remove(entry.input());
                latest.put(entry.input(), entry);
            }
            matches = new ArrayList<>(latest.values());
        }
        JsonNode n = request.path("n");
        return n.isNumber() ? last(matches, n.asInt()) : matches;
    }

    private static List<Entry> last(List<Entry> list, int n) {
        return List.copyOf(list.subList(Math.max(0, list.size() - Math.max(0, n)), list.size()));
    }

    /** Converts a shell-style glob ({@code *} and {@code ?}) to a regular expression over the whole input. */
    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
