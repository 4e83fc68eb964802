package dev.skiff.kernel.display;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Base64;
import javax.imageio.ImageIO;

/**
 * Turns values into Jupyter MIME bundles: {@link MimeData} as its type, images as
 * {@code image/png}, and everything with a {@code text/plain} representation.
 */
public final class MimeRenderer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MimeRenderer() {
    }

    /**
     * Returns the bundle of {@code value}; {@code plainText} is its text form, or null to derive one.
     * Images and {@link MimeData} carry their own text form.
     */
    public static ObjectNode render(Object value, String plainText) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        if (value instanceof MimeData mime) {
            if (mime.mimeType().equals("application/json") || mime.mimeType().endsWith("+json")) {
                data.set(mime.mimeType(), toJson(mime.data()));
            } else {
                data.put(mime.mimeType(), String.valueOf(mime.data()));
            }
            data.put("text/plain", mime.plainText());
            return data;
        }
        if (value instanceof RenderedImage image) {
            data.put("image/png", Base64.getEncoder().encodeToString(png(image)));
            data.put("text/plain", value.getClass().getSimpleName() + " " + image.getWidth() + "x" + image.getHeight());
            return data;
        }
        data.put("text/plain", plainText != null ? plainText : text(value));
        return data;
    }

    /** Returns the text form of any value; arrays show their elements. */
    public static String text(Object value) {
        if (value instanceof Object[] array) {
            return Arrays.deepToString(array);
        }
        if (value != null && value.getClass().isArray()) {
            return Arrays.deepToString(new Object[] {value}).replaceAll("^\\[|\\]$", "");
        }
        return String.valueOf(value);
    }

    /** Returns {@code value} as a JSON tree: a String is parsed as JSON text, anything else converted by Jackson. */
    static JsonNode toJson(Object value) {
        try {
            if (value instanceof String text) {
                return JSON.readTree(text);
            }
            return JSON.valueToTree(value);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Cannot display the value as JSON: " + e.getMessage(), e);
        }
    }

    static byte[] png(RenderedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", bytes)) {
                throw new IllegalArgumentException("No PNG writer accepts images of type " + image.getClass().getName());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
