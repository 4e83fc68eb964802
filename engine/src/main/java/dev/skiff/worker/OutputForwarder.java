package dev.skiff.worker;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;

/**
 * Replaces {@code System.out} or {@code System.err} in a worker: each thread's bytes are buffered
 * and sent to the engine on flush, tagged with the input that thread is running.
 */
final class OutputForwarder extends OutputStream {
    /** The input the current thread runs, inherited by threads that user code starts; -1 for none. */
    static final InheritableThreadLocal<Long> CURRENT_INPUT = new InheritableThreadLocal<>() {
        @Override
        protected Long initialValue() {
            return -1L;
        }
    };

    interface Sink {
        void output(long inputId, int stream, byte[] bytes);
    }

    private final int stream;
    private final Sink sink;
    private final ThreadLocal<ByteArrayOutputStream> buffers = ThreadLocal.withInitial(ByteArrayOutputStream::new);

    OutputForwarder(int stream, Sink sink) {
        this.stream = stream;
        this.sink = sink;
    }

    @Override
    public void write(int b) {
        buffers.get().write(b);
        if (b == '\n') {
            flush();
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        buffers.get().write(bytes, offset, length);
    }

    @Override
    public void flush() {
        ByteArrayOutputStream buffer = buffers.get();
        if (buffer.size() > 0) {
            byte[] bytes = buffer.toByteArray();
            buffer.reset();
            sink.output(CURRENT_INPUT.get(), stream, bytes);
        }
    }
}
