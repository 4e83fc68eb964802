package dev.skiff.engine;

import dev.skiff.FunctionOptions;
import dev.skiff.FunctionTimeoutException;
import dev.skiff.InputCancellationException;
import dev.skiff.OutputSink;
import dev.skiff.Retries;
import dev.skiff.SkiffException;
import dev.skiff.WorkerDiedException;
import dev.skiff.code.CodeBundle;
import dev.skiff.serial.ErrorPayload;
import dev.skiff.wire.MessageReader;
import dev.skiff.wire.MessageType;
import dev.skiff.wire.MessageWriter;
import dev.skiff.worker.WorkerMain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * The embedded engine's scheduler: input queues, worker pools, retries, timeouts and cancellation.
 *
 * <p>Design: every piece of scheduling state is guarded by one lock. Each direction between the
 * engine and its workers has its own ZeroMQ socket, because a socket must not be used by two
 * threads at once and JeroMQ's poller adds milliseconds to every wake-up: the engine thread alone
 * blocks on the {@code inbound} ROUTER that workers send to, while whichever thread holds the lock
 * sends on the {@code outbound} ROUTER that workers receive from. A caller therefore dispatches
 * its own inputs without waking any other thread. The engine thread's receive timeout follows its
 * next timer (retry delays, stop grace periods) and a 100 ms housekeeping tick (scale-down,
 * unresponsive workers, minimum pool sizes).
 *
 * <p>Inputs flow as: caller encodes arguments, {@link #submit} queues an {@link InputTask} in its
 * pool, the engine thread hands it to a ready worker in an INPUTS batch, and the worker's RESULTS
 * batch completes the task's future. Workers whose inputs finish in under 2 ms get up to 256
 * inputs ahead of time so that a {@code map} over many small inputs travels in few messages. A
 * worker that exits fails the inputs it may have started (the first {@code concurrentInputs} it was
 * given) and returns the others to the front of the queue; failures go through the retry policy
 * unless the input was cancelled.
 *
 * <p>Payloads are bytes here; the scheduler never deserializes user values.
 */
public final class Scheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long STOP_GRACE_MILLIS = 10_000;
    private static final long UNRESPONSIVE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** How long a spare worker waits to be adopted before it is stopped. */
    private static final long SPARE_LIFETIME_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** Output bytes waiting for slow sinks, past which further output is dropped rather than queued. */
    private static final long MAX_QUEUED_OUTPUT_BYTES = 8L << 20;
    /** Argument bytes a worker may hold beyond the inputs it runs, so prefetching never floods its heap. */
    private static final long MAX_PREFETCH_BYTES = 4L << 20;

    private final String engineId;
    /** Identity of the engine's own wake-up socket; no worker identity has this form. */
    private static final byte[] WAKE_IDENTITY = "wake".getBytes(StandardCharsets.UTF_8);
    private final Backend backend;
    private final ZContext context = new ZContext(1);
    /** Receives from workers; used by the engine thread only. */
    private final ZMQ.Socket inbound;
    /** Sends to workers; used only while holding {@link #lock}. */
    private final ZMQ.Socket outbound;
    /** Hands work to the engine thread, which alone uses {@link #inbound}. */
    private final Receiver inboundReceiver;
    private final String inboundEndpoint;
    private final String outboundEndpoint;
    /** Sockets for workers that listen, encrypted (true) or not, created on first use; guarded by the lock. */
    private final Map<Boolean, ListeningSockets> listening = new HashMap<>();
    private ZMQ.Curve.KeyPair engineKeys;
    /** The password that listening workers on this machine accept from this engine. */
    private final String enginePassword = Ids.newId("pw") + Ids.newId("pw");
    private final ReentrantLock lock = new ReentrantLock();
    /** Actions to run after the lock is released, such as writing output to user sinks; guarded by the lock. */
    private final List<Runnable> afterUnlock = new ArrayList<>();
    /**
     * Writes output to sinks in order, off the engine thread, so that a slow sink never delays
     * other inputs. It also completes each input whose output is still queued, after that output.
     */
    private final ExecutorService outputDelivery;
    private final AtomicLong queuedOutputBytes = new AtomicLong();
    /** Set under the lock once the sockets are closed; later sends are dropped. */
    private boolean socketsClosed;
    private final Thread thread;
    private final AtomicLong nextInputId = new AtomicLong(1);
    private final Set<WorkerProcess> processes = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean running = true;
    private volatile boolean closing;

    private final Map<String, Pool> pools = new HashMap<>();
    private final Map<String, WorkerHandle> workersById = new HashMap<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final Set<Pool> dirty = new LinkedHashSet<>();
    private long timerSequence;
    private long nextTickNanos = System.nanoTime() + TICK_NANOS;

    private record Timer(long deadlineNanos, long sequence, Runnable action) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer other) {
            int byDeadline = Long.compare(deadlineNanos, other.deadlineNanos);
            return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
        }
    }

    public Scheduler(Backend backend) {
        this(Ids.newId("en"), backend);
    }

    /** Starts an engine named {@code engineId}, such as {@code en-…}, whose workers {@code backend} starts. */
    public Scheduler(String engineId, Backend backend) {
        this.engineId = engineId;
        this.backend = backend;
        Thread.UncaughtExceptionHandler zmqErrors = (thread, error) -> {
            if (closing) {
                LOG.debug("Engine {}: ZeroMQ thread {} failed while closing: {}", engineId, thread.getName(),
                        error.toString());
            } else {
                LOG.error("Engine {}: ZeroMQ thread {} failed", engineId, thread.getName(), error);
            }
        };
        context.setUncaughtExceptionHandler(zmqErrors);
        context.setNotificationExceptionHandler(zmqErrors);
        inbound = context.createSocket(SocketType.ROUTER);
        inbound.setLinger(0);
        inbound.setRcvHWM(0);
        inboundEndpoint = "tcp://127.0.0.1:" + inbound.bindToRandomPort("tcp://127.0.0.1");
        inboundReceiver = new Receiver(inbound, "wake-" + engineId);
        outbound = context.createSocket(SocketType.ROUTER);
        outbound.setLinger(0);
        outbound.setSndHWM(0);
        outbound.setRouterMandatory(true);
        outboundEndpoint = "tcp://127.0.0.1:" + outbound.bindToRandomPort("tcp://127.0.0.1");
        outputDelivery = Executors.newSingleThreadExecutor(runnable -> {
            Thread delivery = new Thread(runnable, "skiff-output-" + engineId);
            delivery.setDaemon(true);
            return delivery;
        });
        thread = new Thread(this::loop, "skiff-engine-" + engineId);
        thread.setDaemon(true);
        thread.start();
        LOG.info("Engine {} started, listening for workers on {} and {}", engineId, inboundEndpoint,
                outboundEndpoint);
    }

    public String engineId() {
        return engineId;
    }

    /** Returns the process ids of the workers that are alive now. Thread-safe. */
    public List<Long> workerPids() {
        List<Long> pids = new ArrayList<>();
        for (WorkerProcess process : processes) {
            if (process.isAlive()) {
                pids.add(process.pid());
            }
        }
        return pids;
    }

    /** Creates a task for one input without queueing it. Thread-safe. */
    public InputTask newTask(PoolSpec spec, String method, byte[] payload, OutputSink sink, String label) {
        return new InputTask(nextInputId.getAndIncrement(), spec, method, payload, sink, label);
    }

    /** Queues tasks for their pools, in order. Thread-safe. */
    public void submit(Collection<InputTask> tasks) {
        if (closing) {
            SkiffException closedError = new SkiffException("The engine " + engineId + " is closed; start a new one.");
            tasks.forEach(task -> task.outcome.complete(Outcome.failure(closedError)));
            return;
        }
        locked(() -> {
            for (InputTask task : tasks) {
                enqueue(task, false);
            }
        });
    }

    /**
     * Starts a spare worker for {@code classpath} that waits for its code, initializing {@code preload}
     * classes meanwhile. The first pool that needs a worker with that classpath and no resource
     * settings (cpu, memory, GPUs, environment, secrets) adopts it instead of starting one. A spare
     * that no pool adopts stops after 30 s. Thread-safe.
     */
    public void startSpare(List<String> classpath, List<String> preload) {
        if (closing) {
            return;
        }
        FunctionOptions options = FunctionOptions.defaults().backend("local");
        if (!preload.isEmpty()) {
            options = options.env(Map.of(WorkerMain.PRELOAD_VARIABLE, String.join(",", preload)));
        }
        PoolSpec spec = new PoolSpec("spare:" + Ids.newId("sp"), "spare worker",
                CodeBundle.of(List.copyOf(classpath), Map.of()), null, null, null, options);
        locked(() -> {
            Pool spares = new Pool(spec);
            spares.spare = true;
            pools.put(spec.key(), spares);
            if (!startWorker(spares)) {
                pools.remove(spec.key());
            }
        });
    }

    /** Makes sure the pool of {@code spec} exists and has its minimum number of workers. Thread-safe. */
    public void warm(PoolSpec spec) {
        locked(() -> dirty.add(pool(spec)));
    }

    /**
     * Cancels a task: it completes at once with an {@link InputCancellationException}, is never
     * retried, and a worker running it is interrupted, or killed when {@code terminateWorker} is true.
     * Returns false when the task had already ended. Thread-safe.
     */
    public boolean cancel(InputTask task, boolean terminateWorker) {
        boolean changed = task.outcome.complete(Outcome.cancelled(new InputCancellationException(
                "Input " + task.label + " of " + task.spec.name() + " was cancelled.")));
        if (changed) {
            LOG.debug("Cancelled input {} of {}", task.label, task.spec.name());
            locked(() -> onCancel(task, terminateWorker));
        }
        return changed;
    }

    /** Stops every worker, waiting up to {@code grace} for exit hooks, then kills the rest. Idempotent. */
    public void close(Duration grace) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closing = true;
        List<CompletableFuture<Integer>> exits = new ArrayList<>();
        for (WorkerProcess process : processes) {
            // A worker that failed to start counts as exited here; its failure is reported elsewhere.
            exits.add(process.onExit().handle((status, error) -> status));
        }
        locked(this::stopEverything);
        try {
            CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new)).get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.warn("Engine {}: workers still running after {} ms; killing them", engineId, grace.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        killAll();
        outputDelivery.shutdown();
        try {
            if (!outputDelivery.awaitTermination(2, TimeUnit.SECONDS)) {
                LOG.warn("Engine {}: output sinks still busy after 2 s; the rest is written in the background",
                        engineId);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running = false;
        runOnEngineThread(() -> { });
        List<ListeningSockets> listeningNow;
        lock.lock();
        try {
            listeningNow = List.copyOf(listening.values());
        } finally {
            lock.unlock();
        }
        listeningNow.forEach(sockets -> sockets.wake(() -> { }));
        try {
            thread.join(5_000);
            for (ListeningSockets sockets : listeningNow) {
                sockets.thread.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            backend.close();
        } catch (Exception e) {
            LOG.warn("Engine {}: closing its backend failed", engineId, e);
        }
        lock.lock();
        try {
            socketsClosed = true;
            context.close();
        } finally {
            lock.unlock();
        }
        LOG.info("Engine {} stopped", engineId);
    }

    @Override
    public void close() {
        close(Duration.ofMillis(STOP_GRACE_MILLIS));
    }

    /** Kills every worker process at once and waits briefly for them to exit; for JVM shutdown hooks. */
    public void killAll() {
        List<CompletableFuture<Integer>> exits = new ArrayList<>();
        for (WorkerProcess process : processes) {
            if (process.isAlive()) {
                process.kill();
                exits.add(process.onExit());
            }
        }
        try {
            CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.error("Engine {}: some workers did not exit after SIGKILL: {}", engineId, workerPids());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs {@code action} holding the lock, dispatches the pools it touched, then runs deferred actions. */
    private void locked(Runnable action) {
        List<Runnable> deferred;
        lock.lock();
        try {
            action.run();
            flushDirty();
            deferred = afterUnlock.isEmpty() ? List.of() : List.copyOf(afterUnlock);
            afterUnlock.clear();
        } finally {
            lock.unlock();
        }
        deferred.forEach(Runnable::run);
    }

    /** Runs {@code action} on the engine thread soon, waking it from its receive. Thread-safe. */
    void runOnEngineThread(Runnable action) {
        inboundReceiver.wake(action);
    }

    /**
     * A receiving socket with a wake-up socket connected to it, so that other threads can hand the
     * thread that owns the socket work to do, such as connecting it somewhere.
     */
    private final class Receiver {
        final ZMQ.Socket socket;
        private final ZMQ.Socket wakeup;
        private final Queue<Runnable> actions = new ConcurrentLinkedQueue<>();

        Receiver(ZMQ.Socket socket, String name) {
            this.socket = socket;
            socket.bind("inproc://" + name);
            wakeup = context.createSocket(SocketType.DEALER);
            wakeup.setLinger(0);
            wakeup.setIdentity(WAKE_IDENTITY);
            wakeup.connect("inproc://" + name);
        }

        /** Runs {@code action} on the socket's thread soon. Thread-safe. */
        void wake(Runnable action) {
            actions.add(action);
            lock.lock();
            try {
                if (!socketsClosed) {
                    wakeup.send(new byte[0], ZMQ.DONTWAIT);
                }
            } finally {
                lock.unlock();
            }
        }

        /** Handles the message whose identity frame was {@code first}, then every message waiting; holding the lock. */
        void drain(byte[] first) {
            byte[] next = first;
            while (next != null) {
                byte[] body = socket.recv();
                if (Arrays.equals(next, WAKE_IDENTITY)) {
                    for (Runnable action; (action = actions.poll()) != null; ) {
                        action.run();
                    }
                } else {
                    handleMessage(next, body);
                }
                next = socket.recv(ZMQ.DONTWAIT);
            }
        }
    }

    private void flushDirty() {
        while (!dirty.isEmpty()) {
            List<Pool> pending = List.copyOf(dirty);
            dirty.clear();
            for (Pool pool : pending) {
                dispatch(pool);
            }
        }
    }

    private void loop() {
        while (running) {
            try {
                long wait;
                lock.lock();
                try {
                    wait = pollTimeoutMillis();
                } finally {
                    lock.unlock();
                }
                inbound.setReceiveTimeOut((int) Math.max(1, Math.min(wait, 100)));
                byte[] identity = inbound.recv();
                locked(() -> {
                    if (identity != null) {
                        inboundReceiver.drain(identity);
                    }
                    runTimers();
                });
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                LOG.error("Engine {}: scheduler error; continuing", engineId, e);
            }
        }
    }

    private long pollTimeoutMillis() {
        long now = System.nanoTime();
        long deadline = nextTickNanos;
        Timer next = timers.peek();
        if (next != null && next.deadlineNanos < deadline) {
            deadline = next.deadlineNanos;
        }
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - now + 999_999));
    }

    private void schedule(long delayMillis, Runnable action) {
        timers.add(new Timer(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis), timerSequence++, action));
    }

    private void runTimers() {
        long now = System.nanoTime();
        while (!timers.isEmpty() && timers.peek().deadlineNanos <= now) {
            timers.poll().action.run();
        }
        if (now - nextTickNanos >= 0) {
            nextTickNanos = now + TICK_NANOS;
            housekeeping(now);
        }
    }

    private Pool pool(PoolSpec spec) {
        return pools.computeIfAbsent(spec.key(), key -> new Pool(spec));
    }

    private void enqueue(InputTask task, boolean front) {
        if (task.isDone()) {
            return;
        }
        if (closing) {
            complete(task, Outcome.failure(new SkiffException("The engine " + engineId + " is closed.")));
            return;
        }
        Pool pool = pool(task.spec);
        if (front) {
            pool.queue.addFirst(task);
        } else {
            pool.queue.addLast(task);
        }
        dirty.add(pool);
    }

    private void dispatch(Pool pool) {
        if (closing) {
            return;
        }
        int capacity = pool.capacity();
        for (WorkerHandle worker : pool.workers) {
            if (pool.queue.isEmpty()) {
                break;
            }
            if (worker.state != WorkerHandle.State.READY) {
                continue;
            }
            int free = capacity - worker.assigned.size();
            if (free <= 0) {
                continue;
            }
            MessageWriter message = new MessageWriter(MessageType.INPUTS, 256);
            message.putInt(0);
            int count = 0;
            int concurrency = pool.spec.options().concurrentInputs();
            long aheadBytes = capacity > concurrency ? payloadBytes(worker) : 0;
            InputTask task;
            while (free > 0 && (task = pool.queue.peekFirst()) != null) {
                boolean ahead = worker.assigned.size() >= concurrency;
                if (ahead && aheadBytes + task.payload.length > MAX_PREFETCH_BYTES) {
                    break;
                }
                pool.queue.pollFirst();
                if (task.isDone()) {
                    continue;
                }
                aheadBytes += task.payload.length;
                worker.assigned.put(task.id, task);
                task.worker = worker;
                message.putLong(task.id).putString(task.method).putBytes(task.payload);
                count++;
                free--;
            }
            if (count > 0) {
                byte[] bytes = message.toByteArray();
                bytes[1] = (byte) (count >>> 24);
                bytes[2] = (byte) (count >>> 16);
                bytes[3] = (byte) (count >>> 8);
                bytes[4] = (byte) count;
                send(worker, bytes);
                worker.lastActiveNanos = System.nanoTime();
            }
        }
        scale(pool);
    }

    private static long payloadBytes(WorkerHandle worker) {
        long total = 0;
        for (InputTask task : worker.assigned.values()) {
            total += task.payload.length;
        }
        return total;
    }

    private void scale(Pool pool) {
        var options = pool.spec.options();
        int concurrency = options.concurrentInputs();
        int live = 0;
        int busy = 0;
        int freeSlots = 0;
        for (WorkerHandle worker : pool.workers) {
            if (worker.state == WorkerHandle.State.STOPPING || worker.state == WorkerHandle.State.EXITED) {
                continue;
            }
            live++;
            if (!worker.assigned.isEmpty()) {
                busy++;
            }
            freeSlots += Math.max(0, concurrency - worker.assigned.size());
        }
        // Cancelled inputs stay in the queue until dispatch skips them, so this may overestimate demand.
        int queued = pool.queue.size();
        int needed = queued > freeSlots ? (queued - freeSlots + concurrency - 1) / concurrency : 0;
        boolean active = queued > 0 || busy > 0;
        boolean backingOff = pool.consecutiveStartFailures >= Pool.START_FAILURES_BEFORE_BACKOFF;
        int target = Math.max(backingOff ? 0 : options.minContainers(), live + needed);
        if (active && !backingOff) {
            target = Math.max(target, busy + needed + options.bufferContainers());
        }
        if (backingOff && queued == 0) {
            return;
        }
        int toStart = Math.min(options.maxContainers() - live, target - live);
        for (int i = 0; i < toStart; i++) {
            if (!startWorker(pool)) {
                break;
            }
        }
    }

    private boolean startWorker(Pool pool) {
        if (!pool.spare && adoptSpare(pool)) {
            return true;
        }
        WorkerHandle worker = new WorkerHandle(Ids.newId("wk"), pool);
        try {
            worker.process = backend.start(new WorkerLaunch(pool.spec, worker.id, worker.identityText,
                    inboundEndpoint, outboundEndpoint, engineKeys().publicKey, enginePassword),
                    line -> onRawOutput(worker, line));
        } catch (IOException | RuntimeException e) {
            if (e instanceof SkiffException) {
                // A clear message about the options or the machine, which the caller receives too: no stack trace.
                LOG.error("Engine {}: failed to start a worker for {}: {}", engineId, pool.spec.name(), e.getMessage());
                LOG.debug("Engine {}: worker start failure for {}", engineId, pool.spec.name(), e);
            } else {
                LOG.error("Engine {}: failed to start a worker for {}", engineId, pool.spec.name(), e);
            }
            SkiffException failure = e instanceof SkiffException s ? s
                    : new SkiffException("Failed to start a worker for " + pool.spec.name() + ": " + e.getMessage(), e);
            failQueue(pool, Outcome.failure(failure));
            return false;
        }
        worker.pid = worker.process.pid();
        pool.workers.add(worker);
        workersById.put(worker.identityText, worker);
        processes.add(worker.process);
        worker.process.onExit().whenComplete((status, error) -> locked(() -> {
            if (error != null) {
                worker.startError = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
            }
            workerExited(worker, status == null ? -1 : status);
        }));
        CompletableFuture<WorkerAddress> address = worker.process.listening();
        if (address != null) {
            worker.listens = true;
            address.thenAccept(endpoints -> locked(() -> connectListening(worker, endpoints)));
        }
        return true;
    }

    /** Returns the engine's CURVE key pair, which workers that listen accept as their only peer. */
    private synchronized ZMQ.Curve.KeyPair engineKeys() {
        if (engineKeys == null) {
            engineKeys = ZMQ.Curve.generateKeyPair();
        }
        return engineKeys;
    }

    /** Connects the engine's listening-worker sockets to a worker that listens at {@code address}. */
    private void connectListening(WorkerHandle worker, WorkerAddress address) {
        if (worker.state == WorkerHandle.State.EXITED || socketsClosed) {
            return;
        }
        ListeningSockets sockets = listening.computeIfAbsent(address.encrypted(), ListeningSockets::new);
        worker.address = address;
        sockets.outbound.connect(address.receiveEndpoint());
        sockets.wake(() -> sockets.inbound.connect(address.sendEndpoint()));
        LOG.debug("Engine {}: connecting to worker {} at {} and {}", engineId, worker.id, address.sendEndpoint(),
                address.receiveEndpoint());
    }

    /**
     * The engine's sockets for workers that listen (in containers): CURVE servers that connect out
     * to each worker. The receiving socket has a thread of its own; the sending one is used under the lock.
     */
    private final class ListeningSockets {
        final ZMQ.Socket inbound;
        final ZMQ.Socket outbound;
        private final Receiver receiver;
        final Thread thread;

        ListeningSockets(boolean encrypted) {
            inbound = context.createSocket(SocketType.ROUTER);
            inbound.setLinger(0);
            inbound.setRcvHWM(0);
            secure(inbound, encrypted);
            String name = "listening-" + (encrypted ? "encrypted-" : "plain-") + engineId;
            receiver = new Receiver(inbound, "wake-" + name);
            outbound = context.createSocket(SocketType.ROUTER);
            outbound.setLinger(0);
            outbound.setSndHWM(0);
            outbound.setRouterMandatory(true);
            secure(outbound, encrypted);
            thread = new Thread(this::loop, "skiff-engine-" + name);
            thread.setDaemon(true);
            thread.start();
        }

        /** Runs {@code action} on this socket's thread, which alone may touch {@link #inbound}. */
        void wake(Runnable action) {
            receiver.wake(action);
        }

        private void secure(ZMQ.Socket socket, boolean encrypted) {
            if (encrypted) {
                socket.setCurveServer(true);
                socket.setCurveSecretKey(engineKeys().secretKey.getBytes(StandardCharsets.US_ASCII));
            } else {
                socket.setPlainUsername(WorkerMain.ENGINE_USER);
                socket.setPlainPassword(enginePassword);
            }
            // A container's JVM listens a few hundred ms after the engine first tries, so retry often.
            socket.setReconnectIVL(5);
        }

        private void loop() {
            while (running) {
                try {
                    byte[] identity = inbound.recv();
                    if (identity != null) {
                        locked(() -> receiver.drain(identity));
                    }
                } catch (RuntimeException e) {
                    if (!running) {
                        break;
                    }
                    LOG.error("Engine {}: error on the listening-worker sockets; continuing", engineId, e);
                }
            }
        }
    }

    /** Moves a waiting spare worker with the same classpath to {@code pool}; returns false when there is none. */
    private boolean adoptSpare(Pool pool) {
        FunctionOptions options = pool.spec.options();
        if (options.cpu() != null || options.memory() != null || !options.gpu().isEmpty() || !options.env().isEmpty()
                || !options.secrets().isEmpty() || !options.effectiveBackend().equals("local")) {
            return false;
        }
        for (Pool spares : pools.values()) {
            if (!spares.spare || !spares.spec.bundle().classpath().equals(pool.spec.bundle().classpath())) {
                continue;
            }
            for (WorkerHandle worker : spares.workers) {
                if (worker.state == WorkerHandle.State.STARTING || worker.state == WorkerHandle.State.CONNECTED) {
                    spares.workers.remove(worker);
                    worker.pool = pool;
                    pool.workers.add(worker);
                    LOG.info("Worker {} of {} is a spare adopted by {}", worker, spares.spec.key(), pool.spec.name());
                    if (worker.state == WorkerHandle.State.CONNECTED) {
                        sendInit(worker, System.nanoTime());
                    }
                    return true;
                }
            }
        }
        return false;
    }

    private void onRawOutput(WorkerHandle worker, String line) {
        worker.addOutputLine(line);
        LOG.info("Worker {} of {}: {}", worker.id, worker.pool.spec.name(), line);
    }

    /** Sends one message to a worker; returns false when the worker's socket is not connected (yet or any more). */
    private boolean send(WorkerHandle worker, byte[] message) {
        if (socketsClosed) {
            return false;
        }
        try {
            ZMQ.Socket socket = outbound;
            if (worker.listens) {
                ListeningSockets sockets = worker.address == null ? null : listening.get(worker.address.encrypted());
                if (sockets == null) {
                    return false;
                }
                socket = sockets.outbound;
            }
            if (!socket.send(worker.identity, ZMQ.SNDMORE | ZMQ.DONTWAIT)) {
                return false;
            }
            return socket.send(message, ZMQ.DONTWAIT);
        } catch (ZMQException e) {
            if (e.getErrorCode() == ZMQ.Error.EHOSTUNREACH.getCode()) {
                return false;
            }
            throw e;
        }
    }

    /** Sends INIT once the worker's receiving socket has connected, which may lag its HELLO by a moment. */
    private void sendInit(WorkerHandle worker, long firstTryNanos) {
        if (worker.state != WorkerHandle.State.CONNECTED) {
            return;
        }
        if (send(worker, worker.pool.spec.initMessage())) {
            return;
        }
        if (System.nanoTime() - firstTryNanos > CONNECT_TIMEOUT_NANOS) {
            stopWorker(worker, "its receiving socket never connected", true);
            return;
        }
        schedule(2, () -> sendInit(worker, firstTryNanos));
    }

    private void handleMessage(byte[] identity, byte[] body) {
        WorkerHandle worker = workersById.get(new String(identity, StandardCharsets.UTF_8));
        if (worker == null) {
            // The identity is a secret, so it is not logged; only its public prefix is.
            String text = new String(identity, StandardCharsets.UTF_8);
            int dot = text.indexOf('.');
            LOG.warn("Engine {}: message from an unknown peer {} dropped", engineId,
                    dot > 0 ? text.substring(0, Math.min(dot, 40)) : "(no worker id)");
            return;
        }
        long now = System.nanoTime();
        worker.lastMessageNanos = now;
        MessageReader message = new MessageReader(body);
        Pool pool = worker.pool;
        switch (message.type()) {
            case MessageType.HELLO -> {
                worker.pid = message.getLong();
                worker.state = WorkerHandle.State.CONNECTED;
                if (!pool.spare) {
                    sendInit(worker, now);
                }
            }
            case MessageType.READY -> {
                if (worker.state == WorkerHandle.State.CONNECTED) {
                    worker.state = WorkerHandle.State.READY;
                }
                worker.becameReady = true;
                pool.consecutiveStartFailures = 0;
                worker.lastActiveNanos = now;
                LOG.info("Worker {} (pid {}) of {} is ready", worker.id, worker.pid, pool.spec.name());
                dirty.add(pool);
            }
            case MessageType.INIT_FAILED -> {
                ErrorPayload error = ErrorPayload.decode(message.getBytes());
                LOG.warn("Worker {} of {} failed to load its code: {}: {}", worker.id, pool.spec.name(), error.type(),
                        error.message());
                worker.failedToStart = true;
                pool.consecutiveStartFailures++;
                stopWorker(worker, "failed to load its code", true);
                byte[] payload = error.encode();
                for (InputTask task : drainQueue(pool)) {
                    attemptFailed(task, Outcome.userError(payload));
                }
            }
            case MessageType.RESULTS -> onResults(worker, message, now);
            case MessageType.OUTPUT -> onOutput(worker, message);
            case MessageType.TIMED_OUT -> {
                long inputId = message.getLong();
                InputTask task = worker.assigned.remove(inputId);
                stopWorker(worker, "an input timed out", true);
                if (task != null) {
                    task.worker = null;
                    attemptFailed(task, Outcome.failure(timeoutError(task, worker)));
                }
            }
            case MessageType.STOPPED -> LOG.debug("Worker {} ran its exit hooks", worker.id);
            default -> LOG.warn("Engine {}: unknown message type {} from worker {}", engineId, message.type(),
                    worker.id);
        }
    }

    private void onResults(WorkerHandle worker, MessageReader message, long now) {
        Pool pool = worker.pool;
        int count = message.getInt();
        for (int i = 0; i < count; i++) {
            long id = message.getLong();
            byte status = message.getByte();
            long runNanos = message.getLong();
            byte[] payload = message.getBytes();
            InputTask task = worker.assigned.remove(id);
            if (task == null) {
                continue;
            }
            task.worker = null;
            if (status != MessageType.RESULT_CANCELLED) {
                pool.recordRunTime(runNanos);
            }
            switch (status) {
                case MessageType.RESULT_OK -> complete(task, Outcome.value(payload));
                case MessageType.RESULT_ERROR -> attemptFailed(task, Outcome.userError(payload));
                default -> {
                    // Cancelled: the caller's future was completed when cancel() was called.
                }
            }
        }
        worker.lastActiveNanos = now;
        dirty.add(pool);
    }

    private void onOutput(WorkerHandle worker, MessageReader message) {
        long inputId = message.getLong();
        int stream = message.getByte();
        String text = new String(message.getBytes(), StandardCharsets.UTF_8);
        InputTask task = worker.assigned.get(inputId);
        OutputSink sink = task != null ? task.sink : OutputSink.current();
        String label = task != null ? task.label : worker.id;
        String function = worker.pool.spec.name();
        long size = text.length();
        if (queuedOutputBytes.get() + size > MAX_QUEUED_OUTPUT_BYTES) {
            if (task != null) {
                task.droppedOutputBytes += size;
            } else {
                LOG.warn("Dropped {} characters of output from worker {} because output sinks fell behind", size,
                        worker.id);
            }
            return;
        }
        queuedOutputBytes.addAndGet(size);
        if (task != null) {
            task.pendingOutput.incrementAndGet();
        }
        outputDelivery.execute(() -> {
            try {
                sink.write(function, label, stream == 2, text);
            } catch (RuntimeException e) {
                LOG.warn("Output sink failed for {} {}", function, label, e);
            } finally {
                queuedOutputBytes.addAndGet(-size);
                if (task != null) {
                    task.pendingOutput.decrementAndGet();
                }
            }
        });
    }

    private FunctionTimeoutException timeoutError(InputTask task, WorkerHandle worker) {
        var options = task.spec.options();
        return new FunctionTimeoutException(task.spec.name() + " input " + task.label + " timed out after "
                + options.timeout().toMillis() + " ms (attempt " + (task.attempts + 1) + " of "
                + (options.retries().maxRetries() + 1) + "); its worker " + worker.id + " was stopped.");
    }

    private void attemptFailed(InputTask task, Outcome outcome) {
        if (task.isDone()) {
            return;
        }
        task.attempts++;
        Retries retries = task.spec.options().retries();
        if (task.attempts > retries.maxRetries() || closing) {
            complete(task, outcome);
            return;
        }
        long delay = retries.delayBeforeRetry(task.attempts).toMillis();
        LOG.info("Retrying {} input {} (retry {} of {}) in {} ms after: {}", task.spec.name(), task.label,
                task.attempts, retries.maxRetries(), delay, describe(outcome));
        schedule(delay, () -> enqueue(task, false));
    }

    private static String describe(Outcome outcome) {
        if (outcome.kind() == Outcome.Kind.USER_ERROR) {
            ErrorPayload error = ErrorPayload.decode(outcome.payload());
            return error.type() + (error.message() == null ? "" : ": " + error.message());
        }
        return String.valueOf(outcome.failure());
    }

    /**
     * Ends a task. Its future completes after the lock is released and after any output written
     * before it reaches its sink, so a caller that wakes on the result has seen the input's output.
     */
    private void complete(InputTask task, Outcome outcome) {
        if (task.finished) {
            return;
        }
        task.finished = true;
        if (task.droppedOutputBytes > 0) {
            String notice = "[skiff: " + task.droppedOutputBytes + " characters of output were dropped because the "
                    + "output sink could not keep up]\n";
            task.pendingOutput.incrementAndGet();
            outputDelivery.execute(() -> {
                try {
                    task.sink.write(task.spec.name(), task.label, true, notice);
                } catch (RuntimeException e) {
                    LOG.warn("Output sink failed for {} {}", task.spec.name(), task.label, e);
                } finally {
                    task.pendingOutput.decrementAndGet();
                }
            });
        }
        if (task.pendingOutput.get() > 0) {
            outputDelivery.execute(() -> task.outcome.complete(outcome));
        } else {
            afterUnlock.add(() -> task.outcome.complete(outcome));
        }
    }

    private void onCancel(InputTask task, boolean terminateWorker) {
        WorkerHandle worker = task.worker;
        if (worker == null || !worker.alive()) {
            return;
        }
        if (terminateWorker) {
            worker.assigned.remove(task.id);
            task.worker = null;
            stopWorker(worker, "input " + task.label + " was cancelled with terminateContainers", true);
        } else {
            send(worker, new MessageWriter(MessageType.CANCEL, 16).putLong(task.id).toByteArray());
        }
    }

    /** Stops a worker: with {@code kill} at once, otherwise through its exit hooks within a grace period. */
    private void stopWorker(WorkerHandle worker, String reason, boolean kill) {
        if (worker.state == WorkerHandle.State.EXITED) {
            return;
        }
        if (worker.stopReason == null) {
            worker.stopReason = reason;
        }
        boolean wasStopping = worker.state == WorkerHandle.State.STOPPING;
        worker.state = WorkerHandle.State.STOPPING;
        if (kill) {
            LOG.info("Killing worker {} of {}: {}", worker, worker.pool.spec.name(), reason);
            worker.process.kill();
        } else if (!wasStopping) {
            LOG.info("Stopping worker {} of {}: {}", worker, worker.pool.spec.name(), reason);
            send(worker, new MessageWriter(MessageType.STOP, 8).toByteArray());
            schedule(STOP_GRACE_MILLIS, () -> {
                if (worker.process.isAlive()) {
                    LOG.warn("Worker {} did not stop within {} ms; killing it", worker, STOP_GRACE_MILLIS);
                    worker.process.kill();
                }
            });
        }
        dirty.add(worker.pool);
    }

    private void workerExited(WorkerHandle worker, int status) {
        worker.state = WorkerHandle.State.EXITED;
        Pool pool = worker.pool;
        pool.workers.remove(worker);
        workersById.remove(worker.identityText);
        processes.remove(worker.process);
        disconnectListening(worker);
        String detail = worker.process.exitDetail();
        LOG.info("Worker {} of {} exited with status {}{}{}", worker, pool.spec.name(), status,
                worker.stopReason == null ? "" : " (" + worker.stopReason + ")", detail == null ? "" : ": " + detail);

        if (worker.startError != null && !worker.becameReady && !closing) {
            failStart(worker, new WorkerDiedException(pool.spec.name() + ": could not start a worker: "
                    + worker.startError.getMessage(), status));
        } else if (!worker.becameReady && !worker.failedToStart && worker.stopReason == null && !closing) {
            failStart(worker, new WorkerDiedException(pool.spec.name() + ": worker " + worker
                    + " exited before it was ready: it " + ExitStatus.describe(status, detail, worker.outputTailText())
                    + ".", status));
        }

        List<InputTask> requeue = new ArrayList<>();
        int position = 0;
        int concurrency = worker.concurrency();
        for (InputTask task : worker.assigned.values()) {
            task.worker = null;
            boolean mayHaveStarted = position++ < concurrency;
            if (task.isDone()) {
                continue;
            }
            if (closing) {
                complete(task, Outcome.failure(new SkiffException("The engine " + engineId
                        + " was closed while input " + task.label + " of " + pool.spec.name() + " was running.")));
            } else if (worker.stopReason == null && mayHaveStarted) {
                attemptFailed(task, Outcome.failure(new WorkerDiedException(pool.spec.name() + " input " + task.label
                        + " failed: its worker " + worker + " " + ExitStatus.describe(status, detail,
                                worker.outputTailText())
                        + ".", status)));
            } else {
                requeue.add(task);
            }
        }
        worker.assigned.clear();
        if (pool.spare && pool.workers.isEmpty()) {
            pools.remove(pool.spec.key());
        }

        for (int i = requeue.size() - 1; i >= 0; i--) {
            enqueue(requeue.get(i), true);
        }
        if (!closing) {
            dirty.add(pool);
        }
    }

    /** Stops the engine's sockets from reconnecting to a listening worker that exited. */
    private void disconnectListening(WorkerHandle worker) {
        WorkerAddress address = worker.address;
        ListeningSockets sockets = address == null ? null : listening.get(address.encrypted());
        if (sockets == null || socketsClosed) {
            return;
        }
        try {
            sockets.outbound.disconnect(address.receiveEndpoint());
        } catch (ZMQException e) {
            LOG.debug("Engine {}: disconnect from {} failed: {}", engineId, address.receiveEndpoint(), e.toString());
        }
        sockets.wake(() -> {
            try {
                sockets.inbound.disconnect(address.sendEndpoint());
            } catch (ZMQException e) {
                LOG.debug("Engine {}: disconnect from {} failed: {}", engineId, address.sendEndpoint(), e.toString());
            }
        });
    }

    private void housekeeping(long now) {
        for (Pool pool : pools.values()) {
            var options = pool.spec.options();
            long scaledownNanos = options.scaledownWindow().toNanos();
            long timeoutNanos = options.timeout().toNanos();
            for (WorkerHandle worker : List.copyOf(pool.workers)) {
                if (pool.spare) {
                    if (worker.alive() && now - worker.startedNanos > SPARE_LIFETIME_NANOS) {
                        stopWorker(worker, "no pool adopted the spare within 30 s", true);
                    }
                    continue;
                }
                switch (worker.state) {
                    case READY -> {
                        if (worker.assigned.isEmpty() && pool.queue.isEmpty()
                                && now - worker.lastActiveNanos > scaledownNanos
                                && pool.liveWorkers() > options.minContainers()) {
                            stopWorker(worker, "idle for " + options.scaledownWindow().toMillis() + " ms", false);
                        } else if (!worker.assigned.isEmpty()
                                && now - worker.lastMessageNanos > timeoutNanos + UNRESPONSIVE_GRACE_NANOS) {
                            InputTask first = worker.assigned.values().iterator().next();
                            worker.assigned.remove(first.id);
                            first.worker = null;
                            stopWorker(worker, "stopped responding", true);
                            attemptFailed(first, Outcome.failure(timeoutError(first, worker)));
                        }
                    }
                    case STARTING, CONNECTED -> {
                        if (now - worker.lastMessageNanos > CONNECT_TIMEOUT_NANOS) {
                            stopWorker(worker, "did not become ready within 60 s", true);
                            failStart(worker, new WorkerDiedException(pool.spec.name() + ": worker " + worker
                                    + " did not become ready within 60 s; a static initializer, a captured value or "
                                    + "an @Enter hook may be hanging.", -1));
                        }
                    }
                    default -> {
                        // Stopping workers have their own kill timer.
                    }
                }
            }
            if (!pool.spare && pool.liveWorkers() < options.minContainers()) {
                dirty.add(pool);
            }
        }
    }

    /**
     * Handles a worker that could not start: the queued inputs fail with {@code failure} through
     * their retry policy, and after a few failures in a row the pool stops starting workers on its
     * own, so a broken function fails its calls instead of restarting forever.
     */
    private void failStart(WorkerHandle worker, WorkerDiedException failure) {
        Pool pool = worker.pool;
        if (!worker.failedToStart) {
            worker.failedToStart = true;
            pool.consecutiveStartFailures++;
        }
        LOG.warn("{} ({} start failures in a row)", failure.getMessage(), pool.consecutiveStartFailures);
        for (InputTask task : drainQueue(pool)) {
            attemptFailed(task, Outcome.failure(failure));
        }
    }

    private List<InputTask> drainQueue(Pool pool) {
        List<InputTask> drained = new ArrayList<>(pool.queue);
        pool.queue.clear();
        return drained;
    }

    private void failQueue(Pool pool, Outcome outcome) {
        for (InputTask task : drainQueue(pool)) {
            complete(task, outcome);
        }
    }

    private void stopEverything() {
        SkiffException closedError = new SkiffException("The engine " + engineId + " was closed before the input ran.");
        for (Pool pool : pools.values()) {
            failQueue(pool, Outcome.failure(closedError));
            for (WorkerHandle worker : List.copyOf(pool.workers)) {
                stopWorker(worker, "engine shutdown", worker.state != WorkerHandle.State.READY);
            }
        }
    }
}
