package dev.skiff.worker;

import dev.skiff.FunctionBody;
import dev.skiff.code.ShippedClassLoader;
import dev.skiff.serial.ErrorPayload;
import dev.skiff.serial.Payloads;
import dev.skiff.wire.MessageReader;
import dev.skiff.wire.MessageType;
import dev.skiff.wire.MessageWriter;
import java.io.NotSerializableException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Entry point of a worker JVM: {@code WorkerMain ENDPOINT WORKER_ID PARENT_PID}. The worker connects
 * to the engine, loads the body it is sent, runs inputs on a fixed pool of threads and reports
 * results in batches. Its main thread owns the engine socket; other threads queue messages for it
 * and wake it through an inproc socket.
 */
public final class WorkerMain {
    /** Exit status of a worker that halts itself after an input timed out. */
    public static final int EXIT_TIMED_OUT = 124;

    private final ZContext context = new ZContext(1);
    private final ZMQ.Socket engine;
    private final ZMQ.Socket wakeReceiver;
    private final ZMQ.Socket wakeSender;
    private final Object wakeLock = new Object();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final ConcurrentLinkedQueue<byte[]> outbox = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Object[]> results = new ConcurrentLinkedQueue<>();
    private final Map<Long, InputRun> inputs = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "skiff-worker-timer");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean haltAfterFlush;
    private ExecutorService executor;
    private ClassLoader loader = WorkerMain.class.getClassLoader();
    private LoadedBody body;
    private long timeoutMillis;

    private WorkerMain(String endpoint, String workerId) {
        engine = context.createSocket(SocketType.DEALER);
        engine.setIdentity(workerId.getBytes(StandardCharsets.UTF_8));
        engine.setLinger(2000);
        engine.setSndHWM(0);
        engine.setRcvHWM(0);
        engine.connect(endpoint);
        wakeReceiver = context.createSocket(SocketType.PULL);
        wakeReceiver.bind("inproc://wake");
        wakeSender = context.createSocket(SocketType.PUSH);
        wakeSender.connect("inproc://wake");
    }

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("Usage: WorkerMain ENDPOINT WORKER_ID PARENT_PID");
            System.exit(2);
        }
        long parentPid = Long.parseLong(args[2]);
        ProcessHandle.of(parentPid).ifPresentOrElse(
                parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(3)),
                () -> Runtime.getRuntime().halt(3));
        new WorkerMain(args[0], args[1]).run();
    }

    private void run() {
        PrintStream rawErr = System.err;
        System.setOut(new PrintStream(new OutputForwarder(1, this::sendOutput), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new OutputForwarder(2, this::sendOutput), true, StandardCharsets.UTF_8));
        engine.send(new MessageWriter(MessageType.HELLO, 16).putLong(ProcessHandle.current().pid()).toByteArray());
        ZMQ.Poller poller = context.createPoller(2);
        poller.register(engine, ZMQ.Poller.POLLIN);
        poller.register(wakeReceiver, ZMQ.Poller.POLLIN);
        try {
            while (!Thread.currentThread().isInterrupted()) {
                poller.poll(1000);
                if (poller.pollin(1)) {
                    while (wakeReceiver.recv(ZMQ.DONTWAIT) != null) {
                        // Drain the wake-up signals; the queues hold the work.
                    }
                }
                wakePending.set(false);
                flushOutgoing();
                if (haltAfterFlush) {
                    closeAndHalt(EXIT_TIMED_OUT);
                }
                byte[] message;
                while ((message = engine.recv(ZMQ.DONTWAIT)) != null) {
                    if (!handle(new MessageReader(message))) {
                        flushOutgoing();
                        closeAndHalt(0);
                    }
                }
            }
        } catch (RuntimeException e) {
            rawErr.println("Skiff worker failed: " + e);
            e.printStackTrace(rawErr);
            Runtime.getRuntime().halt(1);
        }
    }

    /** Handles one engine message; returns false when the worker must exit. */
    private boolean handle(MessageReader message) {
        switch (message.type()) {
            case MessageType.INIT -> init(message);
            case MessageType.INPUTS -> {
                int count = message.getInt();
                for (int i = 0; i < count; i++) {
                    long id = message.getLong();
                    String method = message.getString();
                    byte[] payload = message.getBytes();
                    InputRun run = new InputRun(id, method, payload);
                    inputs.put(id, run);
                    executor.execute(run);
                }
            }
            case MessageType.CANCEL -> {
                InputRun run = inputs.get(message.getLong());
                if (run != null) {
                    run.cancel();
                }
            }
            case MessageType.STOP -> {
                if (executor != null) {
                    executor.shutdownNow();
                }
                if (body != null) {
                    Throwable failure = body.runExitHooks();
                    if (failure != null) {
                        System.err.println("Exit hook failed: " + failure);
                        System.err.flush();
                    }
                }
                outbox.add(new MessageWriter(MessageType.STOPPED, 8).toByteArray());
                return false;
            }
            default -> throw new IllegalStateException("Unknown message type " + message.type());
        }
        return true;
    }

    private void init(MessageReader message) {
        int classCount = message.getInt();
        Map<String, byte[]> classes = new HashMap<>();
        for (int i = 0; i < classCount; i++) {
            classes.put(message.getString(), message.getBytes());
        }
        int concurrency = message.getInt();
        timeoutMillis = message.getLong();
        byte kind = message.getByte();
        if (!classes.isEmpty()) {
            loader = new ShippedClassLoader(classes, WorkerMain.class.getClassLoader());
        }
        Thread.currentThread().setContextClassLoader(loader);
        try {
            if (kind == MessageType.BODY_FUNCTION) {
                body = LoadedBody.ofFunction((FunctionBody) Payloads.deserialize(message.getBytes(), loader));
            } else {
                String className = message.getString();
                @SuppressWarnings("unchecked")
                Map<String, Object> parameters = (Map<String, Object>) Payloads.decodeValue(message.getBytes(), loader);
                body = LoadedBody.ofClass(Class.forName(className, true, loader), parameters);
            }
        } catch (Throwable e) {
            System.out.flush();
            System.err.flush();
            engine.send(new MessageWriter(MessageType.INIT_FAILED, 512).putBytes(ErrorPayload.of(e).encode())
                    .toByteArray());
            return;
        }
        ClassLoader bodyLoader = loader;
        executor = Executors.newFixedThreadPool(concurrency, r -> {
            Thread thread = new Thread(r, "skiff-input");
            thread.setContextClassLoader(bodyLoader);
            return thread;
        });
        engine.send(new MessageWriter(MessageType.READY, 8).toByteArray());
    }

    private void flushOutgoing() {
        byte[] queued;
        while ((queued = outbox.poll()) != null) {
            engine.send(queued);
        }
        if (results.isEmpty()) {
            return;
        }
        MessageWriter batch = new MessageWriter(MessageType.RESULTS, 4096);
        int countPosition = batch.size();
        batch.putInt(0);
        int count = 0;
        Object[] result;
        while ((result = results.poll()) != null) {
            batch.putLong((Long) result[0]).putByte((Byte) result[1]).putLong((Long) result[3])
                    .putBytes((byte[]) result[2]);
            count++;
        }
        byte[] bytes = batch.toByteArray();
        bytes[countPosition] = (byte) (count >>> 24);
        bytes[countPosition + 1] = (byte) (count >>> 16);
        bytes[countPosition + 2] = (byte) (count >>> 8);
        bytes[countPosition + 3] = (byte) count;
        engine.send(bytes);
    }

    private void wake() {
        if (wakePending.compareAndSet(false, true)) {
            synchronized (wakeLock) {
                wakeSender.send(new byte[0], ZMQ.DONTWAIT);
            }
        }
    }

    private void sendOutput(long inputId, int stream, byte[] bytes) {
        outbox.add(new MessageWriter(MessageType.OUTPUT, 16 + bytes.length).putLong(inputId).putByte(stream)
                .putBytes(bytes).toByteArray());
        wake();
    }

    private void closeAndHalt(int status) {
        engine.close();
        context.close();
        Runtime.getRuntime().halt(status);
    }

    /** One input: decoded, run and reported on an executor thread. */
    private final class InputRun implements Runnable {
        private final long id;
        private final String method;
        private final byte[] payload;
        private volatile Thread thread;
        private volatile boolean cancelled;
        private final AtomicBoolean reported = new AtomicBoolean();

        InputRun(long id, String method, byte[] payload) {
            this.id = id;
            this.method = method;
            this.payload = payload;
        }

        void cancel() {
            cancelled = true;
            Thread running = thread;
            if (running != null) {
                running.interrupt();
            }
            report(MessageType.RESULT_CANCELLED, null, 0L);
        }

        @Override
        public void run() {
            if (cancelled) {
                return;
            }
            thread = Thread.currentThread();
            long started = System.nanoTime();
            OutputForwarder.CURRENT_INPUT.set(id);
            var watchdog = timer.schedule(this::timedOut, timeoutMillis, TimeUnit.MILLISECONDS);
            byte status;
            byte[] data;
            try {
                Object[] args = Payloads.decodeArguments(payload, loader);
                Object value = body.call(method, args);
                try {
                    data = Payloads.encodeValue(value);
                    status = MessageType.RESULT_OK;
                } catch (NotSerializableException e) {
                    String what = method == null ? "the function" : "method " + method;
                    data = ErrorPayload.of(new IllegalStateException("The result of " + what + " cannot be sent back: "
                            + Payloads.describe(value, e) + " Return a value that implements java.io.Serializable."))
                            .encode();
                    status = MessageType.RESULT_ERROR;
                }
            } catch (Throwable e) {
                data = ErrorPayload.of(e).encode();
                status = MessageType.RESULT_ERROR;
            } finally {
                watchdog.cancel(false);
                System.out.flush();
                System.err.flush();
                OutputForwarder.CURRENT_INPUT.set(-1L);
                thread = null;
                Thread.interrupted();
            }
            report(cancelled ? MessageType.RESULT_CANCELLED : status, data, System.nanoTime() - started);
        }

        private void timedOut() {
            if (reported.get()) {
                return;
            }
            outbox.add(new MessageWriter(MessageType.TIMED_OUT, 16).putLong(id).toByteArray());
            haltAfterFlush = true;
            wake();
        }

        private void report(byte status, byte[] data, long runNanos) {
            if (reported.compareAndSet(false, true)) {
                inputs.remove(id);
                results.add(new Object[] {id, status, data, runNanos});
                wake();
            }
        }
    }
}
