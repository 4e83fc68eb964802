package dev.skiff.kernel;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** Builders for reply content with the {@code status} field that every Jupyter reply carries. */
public final class Replies {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Replies() {
    }

    /** Returns {@code {"status": "ok"}}, to which callers add the reply's other fields. */
    public static ObjectNode ok() {
        ObjectNode content = NODES.objectNode();
        content.put("status", "ok");
        return content;
    }

    /** Returns an error reply: {@code status} "error" with {@code ename}, {@code evalue} and {@code traceback}. */
    public static ObjectNode error(String ename, String evalue, List<String> traceback) {
        ObjectNode content = NODES.objectNode();
        content.put("status", "error");
        content.put("ename", ename);
        content.put("evalue", evalue);
        ArrayNode lines = content.putArray("traceback");
        traceback.forEach(lines::add);
        return content;
    }

    /** Returns an error reply naming the exception's class, with its message and stack trace. */
    public static ObjectNode error(Throwable error) {
        String evalue = error.getMessage() == null ? "" : error.getMessage();
        return error(error.getClass().getSimpleName(), evalue, traceback(error));
    }

    /** Returns the exception's stack trace as lines, causes included. */
    public static List<String> traceback(Throwable error) {
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        return text.toString().lines().toList();
    }
}
