package dev.skiff.kernel.io;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of {@code System.out} or {@code System.err}, decoded as UTF-8 and handed to an
 * {@link OutputRouter}. A character split across writes is held until its last byte arrives;
 * invalid bytes become U+FFFD. Thread-safe.
 */
final class CellOutputStream extends OutputStream {
    private final OutputRouter router;
    private final String stream;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    /** Bytes not decoded yet: at most the first three bytes of one character. */
    private final ByteBuffer partial = ByteBuffer.allocate(8);
    private final CharBuffer chars = CharBuffer.allocate(8192);

    CellOutputStream(OutputRouter router, String stream) {
        this.router = router;
        this.stream = stream;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        ByteBuffer input = ByteBuffer.wrap(bytes, offset, length);
        while (partial.position() > 0 && input.hasRemaining()) {
            partial.put(input.get());
            partial.flip();
            decode(partial);
            partial.compact();
        }
        decode(input);
        if (input.hasRemaining()) {
            partial.put(input);
        }
    }

    private void decode(ByteBuffer input) {
        while (true) {
            var result = decoder.decode(input, chars, false);
            chars.flip();
            router.write(stream, chars);
            chars.clear();
            if (!result.isOverflow()) {
                return;
            }
        }
    }
}
