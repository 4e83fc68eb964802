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
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZFrame;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/**
 * Entry point of a worker JVM: {@code WorkerMain ENGINE_INBOUND ENGINE_OUTBOUND WORKER_ID PARENT_PID}.
 * The endpoints are the engine's, or {@code listen:PORT} for a worker that the engine connects to;
 * a PARENT_PID of 0 means the engine's process is not visible from here.
 * The worker connects to the engine, loads the body it is sent, runs inputs on a fixed pool of
 * threads and reports results. The main thread alone blocks on the receiving socket. Any thread
 * sends on the sending socket while holding its lock, and the thread that takes the lock sends
 * every result queued so far in one batch.
 */
public final class WorkerMain {
    /** Exit status of a worker that halts itself after an input timed out. */
    public static final int EXIT_TIMED_OUT = 124;
    /** How long a cancelled input may keep running after its interrupt before the worker is stopped. */
    private static final long CANCEL_GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Exit status of a worker whose engine process ended. */
    public static final int EXIT_ORPHANED = 125;
    /** Environment variable with comma-separated class names that the worker initializes while it waits for code. */
    public static final String PRELOAD_VARIABLE = "SKIFF_WORKER_PRELOAD";
    /** Environment variable with the engine's public CURVE key, for workers that listen. */
    public static final String ENGINE_KEY_VARIABLE = "SKIFF_WORKER_ENGINE_KEY";
    /** Environment variable with the engine's password, for listening workers on the engine's own machine. */
    public static final String ENGINE_PASSWORD_VARIABLE = "SKIFF_WORKER_ENGINE_PASSWORD";
    /** The user name that engines present to listening workers with the PLAIN mechanism. */
    public static final String ENGINE_USER = "skiff-engine";
    /** Endpoint prefix telling the worker to listen on a port instead of connecting. */
    public static final String LISTEN_PREFIX = "listen:";
    /** The only argument of a warm-up run; see {@link #warmUp()}. */
    public static final String WARM_UP = "--warm-up";

    private final ZContext context = new ZContext(1);
    /** Receives from the engine; used by the main thread only. */
    private final ZMQ.Socket receiver;
    /** Sends to the engine; guarded by {@link #sendLock}. */
    private final ZMQ.Socket sender;
    private final Object sendLock = new Object();
    private final ConcurrentLinkedQueue<Object[]> results = new ConcurrentLinkedQueue<>();
    private final Map<Long, InputRun> inputs = new ConcurrentHashMap<>();
    /** Inputs whose code is running now, cancelled ones included, for the deadline checks. */
    private final Set<InputRun> running = ConcurrentHashMap.newKeySet();
    /** Checks the deadlines of running inputs every 50 ms; timeouts are at least one second. */
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "skiff-worker-watchdog");
        thread.setDaemon(true);
        return thread;
    });
    private ExecutorService executor;
    private ClassLoader loader = WorkerMain.class.getClassLoader();
    private LoadedBody body;
    private long timeoutMillis;

    private WorkerMain(String inboundEndpoint, String outboundEndpoint, String identityText) {
        byte[] identity = identityText.getBytes(StandardCharsets.UTF_8);
        Security security = Security.fromEnvironment(context);
        receiver = context.createSocket(SocketType.DEALER);
        receiver.setIdentity(identity);
        receiver.setLinger(0);
        receiver.setRcvHWM(0);
        attach(receiver, outboundEndpoint, security);
        sender = context.createSocket(SocketType.DEALER);
        sender.setIdentity(identity);
        sender.setLinger(2000);
        sender.setSndHWM(0);
        attach(sender, inboundEndpoint, security);
    }

    /**
     * Connects {@code socket} to an engine endpoint, or for {@code listen:PORT} binds it on every
     * interface so that the engine connects to it (workers in containers, whose engine may not be
     * reachable from them). A listening worker accepts only its engine: see {@link Security}.
     */
    private static void attach(ZMQ.Socket socket, String endpoint, Security security) {
        if (!endpoint.startsWith(LISTEN_PREFIX)) {
            socket.connect(endpoint);
            return;
        }
        if (security == null) {
            throw new IllegalStateException("A listening worker needs " + ENGINE_KEY_VARIABLE + " or "
                    + ENGINE_PASSWORD_VARIABLE + " in its environment");
        }
        security.apply(socket);
        socket.bind("tcp://*:" + endpoint.substring(LISTEN_PREFIX.length()));
    }

    /**
     * The check by which a listening worker accepts its engine and no other peer. With the engine's public CURVE
     * key, the worker is a CURVE client: only the holder of the matching secret key completes a
     * connection, and the traffic is encrypted (for daemons across a network). With the engine's
     * password, the worker is a PLAIN server that checks the password through a ZAP handler: no
     * encryption, for a daemon on the engine's own machine, where CURVE would only add latency.
     */
    private static final class Security {
        private final String engineKey;
        private final ZMQ.Curve.KeyPair keys;
        private final byte[] password;

        private Security(String engineKey, byte[] password) {
            this.engineKey = engineKey;
            this.keys = engineKey == null ? null : ZMQ.Curve.generateKeyPair();
            this.password = password;
        }

        static Security fromEnvironment(ZContext context) {
            String engineKey = System.getenv(ENGINE_KEY_VARIABLE);
            if (engineKey != null) {
                return new Security(engineKey, null);
            }
            String password = System.getenv(ENGINE_PASSWORD_VARIABLE);
            if (password == null) {
                return null;
            }
            Security security = new Security(null, password.getBytes(StandardCharsets.UTF_8));
            security.startAuthenticator(context);
            return security;
        }

        void apply(ZMQ.Socket socket) {
            if (engineKey != null) {
                socket.setCurveServerKey(engineKey.getBytes(StandardCharsets.US_ASCII));
                socket.setCurvePublicKey(keys.publicKey.getBytes(StandardCharsets.US_ASCII));
                socket.setCurveSecretKey(keys.secretKey.getBytes(StandardCharsets.US_ASCII));
            } else {
                socket.setPlainServer(true);
                socket.setZAPDomain("skiff");
            }
        }

        /** Handles ZeroMQ's authentication requests (ZAP, version 1.0) for the PLAIN handshakes. */
        private void startAuthenticator(ZContext context) {
            ZMQ.Socket handler = context.createSocket(SocketType.REP);
            handler.bind("inproc://zeromq.zap.01");
            Thread thread = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        ZMsg request = ZMsg.recvMsg(handler);
                        if (request == null) {
                            return;
                        }
                        // version, request id, domain, address, identity, mechanism, then the credentials.
                        String version = request.popString();
                        String requestId = request.popString();
                        request.pop();
                        request.pop();
                        request.pop();
                        String mechanism = request.popString();
                        request.pop();
                        ZFrame given = request.pop();
                        boolean accepted = "PLAIN".equals(mechanism) && given != null
                                && MessageDigest.isEqual(given.getData(), password);
                        ZMsg reply = new ZMsg();
                        reply.add(version);
                        reply.add(requestId);
                        reply.add(accepted ? "200" : "400");
                        reply.add(accepted ? "OK" : "wrong credentials");
                        reply.add("");
                        reply.add(new byte[0]);
                        reply.send(handler);
                    }
                } catch (RuntimeException e) {
                    // The context closed as the worker exits.
                }
            }, "skiff-worker-authenticator");
            thread.setDaemon(true);
            thread.start();
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals(WARM_UP)) {
            warmUp();
            return;
        }
        if (args.length != 4) {
            System.err.println("Usage: WorkerMain ENGINE_INBOUND ENGINE_OUTBOUND WORKER_ID PARENT_PID");
            System.exit(2);
        }
        long parentPid = Long.parseLong(args[3]);
        if (parentPid > 0) {
            // A worker in a container cannot see its engine's process; the engine removes such workers.
            ProcessHandle.of(parentPid).ifPresentOrElse(
                    parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(EXIT_ORPHANED)),
                    () -> Runtime.getRuntime().halt(EXIT_ORPHANED));
        }
        String identity = System.getenv("SKIFF_WORKER_IDENTITY");
        if (identity == null || !identity.startsWith(args[2] + ".")) {
            System.err.println("Missing or wrong SKIFF_WORKER_IDENTITY for worker " + args[2]
                    + "; workers are started by the Skiff engine, not by hand.");
            System.exit(2);
        }
        preload(System.getenv(PRELOAD_VARIABLE));
        new WorkerMain(args[0], args[1], identity).run();
    }

    /**
     * Runs what a worker runs at start, without an engine: a CURVE connection over loopback, one
     * message each way, and a payload round trip. Backends run this once while recording a class
     * data archive ({@code -XX:ArchiveClassesAtExit}), so that later workers start faster.
     */
    private static void warmUp() throws Exception {
        ZMQ.Curve.KeyPair server = ZMQ.Curve.generateKeyPair();
        ZMQ.Curve.KeyPair client = ZMQ.Curve.generateKeyPair();
        try (ZContext context = new ZContext(1)) {
            ZMQ.Socket router = context.createSocket(SocketType.ROUTER);
            router.setCurveServer(true);
            router.setCurveSecretKey(server.secretKey.getBytes(StandardCharsets.US_ASCII));
            router.setReceiveTimeOut(10_000);
            int port = router.bindToRandomPort("tcp://127.0.0.1");
            ZMQ.Socket dealer = context.createSocket(SocketType.DEALER);
            dealer.setIdentity("warm-up".getBytes(StandardCharsets.US_ASCII));
            dealer.setCurveServerKey(server.publicKey.getBytes(StandardCharsets.US_ASCII));
            dealer.setCurvePublicKey(client.publicKey.getBytes(StandardCharsets.US_ASCII));
            dealer.setCurveSecretKey(client.secretKey.getBytes(StandardCharsets.US_ASCII));
            dealer.setReceiveTimeOut(10_000);
            dealer.connect("tcp://127.0.0.1:" + port);
            dealer.send(new MessageWriter(MessageType.HELLO, 16).putLong(1).toByteArray());
            byte[] identity = router.recv();
            byte[] body = router.recv();
            if (identity == null || body == null || new MessageReader(body).type() != MessageType.HELLO) {
                throw new IllegalStateException("the warm-up message did not arrive");
            }
            router.send(identity, ZMQ.SNDMORE);
            router.send(Payloads.serialize(new HashMap<>(Map.of("warm-up", 1))));
            byte[] reply = dealer.recv();
            if (reply == null || !Map.of("warm-up", 1).equals(Payloads.deserialize(reply, WorkerMain.class.getClassLoader()))) {
                throw new IllegalStateException("the warm-up reply did not arrive intact");
            }
        }
    }

    /**
     * Loads and initializes the listed classes on a background thread, so that a runtime the body
     * will need (Groovy's, for example) is built while the worker waits for its code.
     */
    private static void preload(String classNames) {
        if (classNames == null || classNames.isBlank()) {
            return;
        }
        Thread thread = new Thread(() -> {
            for (String name : classNames.split(",")) {
                try {
                    Class.forName(name.trim(), true, ClassLoader.getSystemClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    // A class missing here is loaded, or reported, when the body needs it.
                }
            }
        }, "skiff-worker-preload");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        PrintStream rawErr = System.err;
        System.setOut(new PrintStream(new OutputForwarder(1, this::sendOutput), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new OutputForwarder(2, this::sendOutput), true, StandardCharsets.UTF_8));
        send(new MessageWriter(MessageType.HELLO, 16).putLong(ProcessHandle.current().pid()).toByteArray());
        try {
            while (true) {
                byte[] message = receiver.recv();
                if (message == null) {
                    continue;
                }
                if (!handle(new MessageReader(message))) {
                    closeAndExit();
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
                send(new MessageWriter(MessageType.STOPPED, 8).toByteArray());
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
            send(new MessageWriter(MessageType.INIT_FAILED, 512).putBytes(ErrorPayload.of(e).encode()).toByteArray());
            return;
        }
        watchdog.scheduleWithFixedDelay(this::checkDeadlines, 50, 50, TimeUnit.MILLISECONDS);
        ClassLoader bodyLoader = loader;
        executor = Executors.newFixedThreadPool(concurrency, r -> {
            Thread thread = new Thread(r, "skiff-input");
            thread.setContextClassLoader(bodyLoader);
            return thread;
        });
        send(new MessageWriter(MessageType.READY, 8).toByteArray());
    }

    private void checkDeadlines() {
        long now = System.nanoTime();
        for (InputRun run : running) {
            long deadline = run.deadlineNanos;
            if (deadline != 0 && now - deadline > 0) {
                run.timedOut();
            }
        }
    }

    private void send(byte[] message) {
        synchronized (sendLock) {
            sender.send(message, 0);
        }
    }

    /** Sends every queued result in one message; a caller that finds the queue empty sends nothing. */
    private void sendResults() {
        synchronized (sendLock) {
            if (results.isEmpty()) {
                return;
            }
            MessageWriter batch = new MessageWriter(MessageType.RESULTS, 4096);
            batch.putInt(0);
            int count = 0;
            Object[] result;
            while ((result = results.poll()) != null) {
                batch.putLong((Long) result[0]).putByte((Byte) result[1]).putLong((Long) result[3])
                        .putBytes((byte[]) result[2]);
                count++;
            }
            byte[] bytes = batch.toByteArray();
            bytes[1] = (byte) (count >>> 24);
            bytes[2] = (byte) (count >>> 16);
            bytes[3] = (byte) (count >>> 8);
            bytes[4] = (byte) count;
            sender.send(bytes, 0);
        }
    }

    private void sendOutput(long inputId, int stream, byte[] bytes) {
        send(new MessageWriter(MessageType.OUTPUT, 16 + bytes.length).putLong(inputId).putByte(stream).putBytes(bytes)
                .toByteArray());
    }

    /** Exits normally, so that the JVM can write a class data archive when one was requested. */
    private void closeAndExit() {
        synchronized (sendLock) {
            sender.close();
        }
        receiver.close();
        context.close();
        System.exit(0);
    }

    /** One input: decoded, run and reported on an executor thread. */
    private final class InputRun implements Runnable {
        private final long id;
        private final String method;
        private final byte[] payload;
        private volatile Thread thread;
        /** System.nanoTime() past which the input has timed out, or 0 while it is not running. */
        private volatile long deadlineNanos;
        private volatile boolean cancelled;
        private final AtomicBoolean reported = new AtomicBoolean();
        private final AtomicBoolean timedOut = new AtomicBoolean();

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
                // An input that ignores the interrupt gets a short grace period, then the worker is stopped.
                long graceDeadline = System.nanoTime() + CANCEL_GRACE_NANOS;
                long deadline = deadlineNanos;
                if (deadline == 0 || graceDeadline - deadline < 0) {
                    deadlineNanos = graceDeadline;
                }
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
            deadlineNanos = started + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            running.add(this);
            byte status;
            byte[] data;
            try {
                Object[] args = Payloads.decodeArguments(payload, loader);
                Object value = body.call(method, args);
                try {
                    data = Payloads.encodeValue(value);
                    status = MessageType.RESULT_OK;
                } catch (NotSerializableException e) {
                    String description = method == null ? "the function" : "method " + method;
                    data = ErrorPayload.of(new IllegalStateException("The result of " + description + " cannot be sent back: "
                            + Payloads.describe(value, e) + " Return a value that implements java.io.Serializable."))
                            .encode();
                    status = MessageType.RESULT_ERROR;
                }
            } catch (Throwable e) {
                data = ErrorPayload.of(e).encode();
                status = MessageType.RESULT_ERROR;
            } finally {
                deadlineNanos = 0;
                running.remove(this);
                System.out.flush();
                System.err.flush();
                OutputForwarder.CURRENT_INPUT.set(-1L);
                thread = null;
                Thread.interrupted();
            }
            report(cancelled ? MessageType.RESULT_CANCELLED : status, data, System.nanoTime() - started);
        }

        void timedOut() {
            if (thread == null || !timedOut.compareAndSet(false, true)) {
                return;
            }
            send(new MessageWriter(MessageType.TIMED_OUT, 16).putLong(id).toByteArray());
            // The engine kills this worker when the message arrives; halt in case it never does.
            watchdog.schedule(() -> Runtime.getRuntime().halt(EXIT_TIMED_OUT), 5, TimeUnit.SECONDS);
        }

        private void report(byte status, byte[] data, long runNanos) {
            if (reported.compareAndSet(false, true)) {
                inputs.remove(id);
                results.add(new Object[] {id, status, data, runNanos});
                sendResults();
            }
        }
    }
}
