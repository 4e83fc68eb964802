package dev.skiff.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link BoundedPipe}, which carries the output of sandbox commands. */
class SandboxPipeTest {
    @Test
    void keepsEveryByteInOrder() throws Exception {
        BoundedPipe pipe = new BoundedPipe(7);
        byte[] data = new byte[100_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        Thread writer = new Thread(() -> {
            try {
                for (int offset = 0; offset < data.length; offset += 13) {
                    pipe.write(data, offset, Math.min(13, data.length - offset));
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
            pipe.closeWriter();
        });
        writer.start();
        assertThat(pipe.readAll()).isEqualTo(data);
        writer.join();
    }

    @Test
    void readsLines() throws Exception {
        BoundedPipe pipe = new BoundedPipe(64);
        pipe.write("one\ntwo\nthree".getBytes(StandardCharsets.UTF_8));
        pipe.closeWriter();
        assertThat(pipe.lines()).containsExactly("one", "two", "three");
    }

    @Test
    void writeFailsAfterReaderCloses() throws Exception {
        BoundedPipe pipe = new BoundedPipe(4);
        pipe.close();
        assertThatThrownBy(() -> pipe.write(new byte[8])).isInstanceOf(IOException.class)
                .hasMessage("The reader closed the pipe");
        assertThat(pipe.read()).isEqualTo(-1);
    }
}
