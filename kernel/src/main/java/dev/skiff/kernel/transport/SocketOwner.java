package dev.skiff.kernel.transport;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * A thread that creates, binds, uses and closes one ZeroMQ socket, which no other thread touches.
 *
 * <p>Other threads run code against the socket by {@link #submit submitting} actions, which the owner runs in
 * submission order. The owner polls the socket and a {@link WakeupSignal} with a timeout, passes each inbound
 * multipart message to its {@link InboundHandler}, and after {@link #stop()} runs the actions already queued
 * before closing the socket.
 */
public final class SocketOwner {

    /** Receives one inbound multipart message on the owner thread, with the socket for direct replies. */
    @FunctionalInterface
    public interface InboundHandler {
        void onMessage(List<byte[]> frames, ZMQ.Socket socket);
    }

    private static final Logger LOG = LoggerFactory.getLogger(SocketOwner.class);

    /** Upper bound on how long the owner waits before checking its stop flag; wake-ups usually come first. */
    private static final long POLL_TIMEOUT_MS = 500;

    /** Time that closing the socket may wait for queued outbound messages to reach connected peers. */
    private static final int LINGER_MS = 1000;

    /** Inbound messages handled per poll before queued actions run again, so neither starves the other. */
    private static final int MAX_INBOUND_PER_POLL = 64;

    private final String name;
    private final ZMQ.Context context;
    private final SocketType type;
    private final String endpoint;
    private final Consumer<ZMQ.Socket> options;
    private final InboundHandler inbound;
    private final Runnable onExit;
    private final Queue<Consumer<ZMQ.Socket>> actions = new ConcurrentLinkedQueue<>();
    private final WakeupSignal wakeup = new WakeupSignal();
    private final CompletableFuture<String> boundEndpoint = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean stopRequested;
    private volatile boolean closed;

    /**
     * @param name thread name
     * @param endpoint where to bind, such as {@code tcp://127.0.0.1:*}
     * @param options socket options applied before binding
     * @param inbound handler for received messages, or {@code null} for a send-only socket
     * @param onExit runs on the owner thread after the socket is closed, also when binding failed
     */
    public SocketOwner(String name, ZMQ.Context context, SocketType type, String endpoint,
            Consumer<ZMQ.Socket> options, InboundHandler inbound, Runnable onExit) {
        this.name = name;
        this.context = context;
        this.type = type;
        this.endpoint = endpoint;
        this.options = options;
        this.inbound = inbound;
        this.onExit = onExit;
        this.thread = new Thread(this::run, name);
    }

    /** Starts the owner thread; the future completes with the bound endpoint or fails with the bind error. */
    public CompletableFuture<String> start() {
        thread.start();
        return boundEndpoint;
    }

    public String name() {
        return name;
    }

    /**
     * Queues an action to run on the owner thread. Thread-safe.
     *
     * @return false when the socket is already closed, so the action never runs. An action queued while the
     *     socket is closing may be dropped even though this returned true.
     */
    public boolean submit(Consumer<ZMQ.Socket> action) {
        if (closed) {
            return false;
        }
        actions.add(action);
        wakeup.signal();
        return true;
    }

    /** Signals the owner to run queued actions, close the socket and exit. Thread-safe and idempotent. */
    public void stop() {
        stopRequested = true;
        wakeup.signal();
    }

    /** Waits for the owner thread to exit; returns whether it did within the timeout. */
    public boolean join(Duration timeout) throws InterruptedException {
        thread.join(Math.max(1, timeout.toMillis()));
        return !thread.isAlive();
    }

    public boolean isAlive() {
        return thread.isAlive();
    }

    /** Returns whether the calling thread is this owner's thread. */
    public boolean isCurrentThread() {
        return Thread.currentThread() == thread;
    }

    /** Interrupts the owner thread, as a last resort when a handler running on it does not return. */
    public void interrupt() {
        thread.interrupt();
    }

    private void run() {
        ZMQ.Socket socket = null;
        ZMQ.Poller poller = null;
        try {
            socket = context.socket(type);
            socket.setLinger(LINGER_MS);
            options.accept(socket);
            socket.bind(endpoint);
            boundEndpoint.complete(socket.getLastEndpoint());
            LOG.debug("{} bound {}", name, socket.getLastEndpoint());

            poller = newPoller(socket);
            while (!stopRequested) {
                poller.poll(POLL_TIMEOUT_MS);
                clearInterrupt();
                if (!wakeup.drain()) {
                    LOG.debug("{} reopens its wake-up pipe after it was closed", name);
                    poller.close();
                    wakeup.reopen();
                    poller = newPoller(socket);
                }
                runActions(socket);
                if (inbound != null) {
                    receiveAvailable(socket);
                }
            }
            runActions(socket);
        } catch (RuntimeException e) {
            if (!boundEndpoint.completeExceptionally(e)) {
                LOG.error("{} stopped after an unexpected error", name, e);
            }
        } finally {
            closed = true;
            if (!actions.isEmpty()) {
                LOG.debug("{} dropped {} queued actions at close", name, actions.size());
            }
            if (poller != null) {
                poller.close();
            }
            if (socket != null) {
                socket.close();
            }
            wakeup.close();
            LOG.debug("{} closed", name);
            onExit.run();
        }
    }

    private ZMQ.Poller newPoller(ZMQ.Socket socket) {
        ZMQ.Poller poller = context.poller(2);
        if (inbound != null) {
            poller.register(socket, ZMQ.Poller.POLLIN);
        }
        poller.register(wakeup.source(), ZMQ.Poller.POLLIN);
        return poller;
    }

    private void runActions(ZMQ.Socket socket) {
        Consumer<ZMQ.Socket> action;
        while ((action = actions.poll()) != null) {
            try {
                action.accept(socket);
            } catch (RuntimeException e) {
                LOG.error("{} action failed", name, e);
            }
        }
    }

    private void receiveAvailable(ZMQ.Socket socket) {
        for (int i = 0; i < MAX_INBOUND_PER_POLL && !stopRequested; i++) {
            List<byte[]> frames = Frames.receive(socket, ZMQ.DONTWAIT);
            if (frames == null) {
                return;
            }
            try {
                inbound.onMessage(frames, socket);
            } catch (RuntimeException e) {
                LOG.error("{} failed to handle an inbound message", name, e);
            }
            clearInterrupt();
            runActions(socket);
        }
    }

    /**
     * Clears an interrupt left by a handler or another thread, because JeroMQ and NIO close their pipes when an
     * interrupted thread uses them, which would break the socket.
     */
    private void clearInterrupt() {
        if (Thread.interrupted()) {
            LOG.debug("{} cleared the interrupt status of its thread", name);
        }
    }
}
