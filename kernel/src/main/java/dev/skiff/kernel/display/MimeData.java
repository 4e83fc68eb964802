package dev.skiff.kernel.display;

import java.util.Objects;

/**
 * A value with an explicit MIME type for display, such as HTML or Markdown. Build one with
 * {@link Display#html}, {@link Display#markdown}, {@link Display#json} or {@link Display#mime}.
 *
 * @param mimeType the MIME type, such as {@code text/html}
 * @param data the representation: text, or for JSON types a JSON text or a value that Jackson can write
 * @param plainText the {@code text/plain} fallback for frontends that cannot show the type
 */
public record MimeData(String mimeType, Object data, String plainText) {
    public MimeData {
        Objects.requireNonNull(mimeType, "mimeType");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(plainText, "plainText");
    }

    @Override
    public String toString() {
        return plainText;
    }
}
