package dev.skiff.kernel;

import dev.skiff.kernel.connection.ConnectionInfo;
import dev.skiff.kernel.transport.Frames;
import dev.skiff.kernel.transport.SocketOwner;
import dev.skiff.kernel.wire.MessageFactory;
import dev.skiff.kernel.wire.WireCodec;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * A running Jupyter protocol 5.3 kernel: shell, control and stdin ROUTER sockets, an IOPub PUB socket and a
 * heartbeat REP socket, each owned by its own thread named {@value #THREAD_NAME_PREFIX} plus the channel.
 *
 * <p>Requests go to a {@link KernelHandler}. A {@code shutdown_request}, {@link #shutdown()} or
 * {@link #close()} stops every thread and closes every socket. Methods are thread-safe.
 */
public final class KernelServer implements AutoCloseable {

    public static final String THREAD_NAME_PREFIX = "skiff-kernel-";

    private static final Logger LOG = LoggerFactory.getLogger(KernelServer.class);
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final ZMQ.Context context = ZMQ.context(1);
    private final MessageFactory factory = MessageFactory.withRandomSession();
    private final DroppedMessageLog drops = new DroppedMessageLog();
    private final StdinBridge stdin;
    private final List<SocketOwner> owners = new ArrayList<>();
    private final AtomicInteger liveOwners = new AtomicInteger();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final AtomicBoolean shutdownRequested = new AtomicBoolean();
    private volatile ConnectionInfo bound;

    private KernelServer(ConnectionInfo connection, KernelHandler handler) {
        WireCodec codec = new WireCodec(connection.keyBytes());
        SocketOwner iopubOwner = owner("iopub", SocketType.PUB, connection.endpoint(connection.iopubPort()),
                socket -> { }, null);
        IopubPublisher iopub = new IopubPublisher(iopubOwner, codec, factory);

        stdin = new StdinBridge(codec, factory, drops);
        SocketOwner stdinOwner = owner("stdin", SocketType.ROUTER, connection.endpoint(connection.stdinPort()),
                socket -> socket.setRouterMandatory(true), stdin::onMessage);
        stdin.attach(stdinOwner);

        Dispatcher dispatcher = new Dispatcher(RequestRoutes.of(handler, stdin), codec, factory, iopub, stdin,
                drops, this::shutdown);
        SocketOwner shellOwner = owner("shell", SocketType.ROUTER, connection.endpoint(connection.shellPort()),
                socket -> { }, dispatcher.inboundFor("shell"));
        SocketOwner controlOwner = owner("control", SocketType.ROUTER,
                connection.endpoint(connection.controlPort()), socket -> { }, dispatcher.inboundFor("control"));
        SocketOwner heartbeatOwner = owner("hb", SocketType.REP, connection.endpoint(connection.hbPort()),
                socket -> { }, (frames, socket) -> Frames.send(socket, frames));

        // Order matches the ports of ConnectionInfo.withPorts.
        owners.addAll(List.of(shellOwner, iopubOwner, stdinOwner, controlOwner, heartbeatOwner));
        liveOwners.set(owners.size());
    }

    /**
     * Binds all five sockets on the connection's ip and starts serving requests.
     *
     * @throws IOException when a socket cannot be bound, after everything started so far has been closed
     */
    public static KernelServer start(ConnectionInfo connection, KernelHandler handler) throws IOException {
        KernelServer server = new KernelServer(connection, handler);
        server.bindAll(connection);
        return server;
    }

    /** Returns the connection with the ports actually bound, which differ from the input where it had 0. */
    public ConnectionInfo connection() {
        return bound;
    }

    /** Returns the session id that every message from this kernel carries. */
    public String session() {
        return factory.session();
    }

    /**
     * Begins the shutdown without waiting: cancels pending input requests and signals each socket thread to
     * send its queued messages and close. Idempotent.
     */
    public void shutdown() {
        if (!shutdownRequested.compareAndSet(false, true)) {
            return;
        }
        LOG.info("Kernel session {} is shutting down", factory.session());
        stdin.close();
        owners.forEach(SocketOwner::stop);
    }

    /** Waits until every socket is closed and every kernel thread has exited. Returns false on timeout. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            return false;
        }
        for (SocketOwner owner : owners) {
            if (!owner.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Shuts down and waits up to 5 seconds, then interrupts threads still running a handler and waits again.
     * Called from a kernel thread, such as inside a handler, it only starts the shutdown.
     */
    @Override
    public void close() {
        shutdown();
        if (owners.stream().anyMatch(SocketOwner::isCurrentThread)) {
            return;
        }
        try {
            if (awaitTermination(CLOSE_TIMEOUT)) {
                return;
            }
            List<String> running = owners.stream().filter(SocketOwner::isAlive).map(SocketOwner::name).toList();
            LOG.warn("Kernel threads {} did not stop within {} ms; interrupting them", running,
                    CLOSE_TIMEOUT.toMillis());
            owners.stream().filter(SocketOwner::isAlive).forEach(SocketOwner::interrupt);
            if (!awaitTermination(CLOSE_TIMEOUT)) {
                LOG.error("Kernel threads {} are still running after an interrupt",
                        owners.stream().filter(SocketOwner::isAlive).map(SocketOwner::name).toList());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private SocketOwner owner(String channel, SocketType type, String endpoint, Consumer<ZMQ.Socket> options,
            SocketOwner.InboundHandler inbound) {
        String name = THREAD_NAME_PREFIX + channel;
        return new SocketOwner(name, context, type, endpoint, options, inbound, () -> onOwnerExit(name));
    }

    private void bindAll(ConnectionInfo connection) throws IOException {
        List<CompletableFuture<String>> endpoints = owners.stream().map(SocketOwner::start).toList();
        int[] ports = new int[owners.size()];
        IOException failure = null;
        for (int i = 0; i < owners.size(); i++) {
            String name = owners.get(i).name();
            try {
                String endpoint = endpoints.get(i).get(BIND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                ports[i] = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
            } catch (ExecutionException e) {
                failure = firstFailure(failure, new IOException(
                        "failed to bind " + name + " on " + connection.ip() + ": " + e.getCause().getMessage(),
                        e.getCause()));
            } catch (TimeoutException e) {
                failure = firstFailure(failure, new IOException(
                        name + " did not bind within " + BIND_TIMEOUT.toMillis() + " ms", e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = firstFailure(failure, new IOException("interrupted while binding " + name, e));
            }
        }
        if (failure != null) {
            close();
            throw failure;
        }
        bound = connection.withPorts(ports[0], ports[1], ports[2], ports[3], ports[4]);
        LOG.info("Kernel session {} is listening: {}", factory.session(), bound);
    }

    private static IOException firstFailure(IOException first, IOException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    private void onOwnerExit(String name) {
        if (bound != null && !shutdownRequested.get()) {
            // A kernel missing one socket cannot serve frontends, so stopping lets the frontend notice and restart.
            LOG.error("{} exited without a shutdown request; shutting the kernel down", name);
            shutdown();
        }
        if (liveOwners.decrementAndGet() > 0) {
            return;
        }
        stdin.close();
        context.close();
        LOG.info("Kernel session {} stopped; {} invalid messages were dropped", factory.session(), drops.count());
        terminated.countDown();
    }
}
