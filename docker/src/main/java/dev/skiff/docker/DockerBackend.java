package dev.skiff.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import dev.skiff.FunctionOptions;
import dev.skiff.Gpu;
import dev.skiff.Secret;
import dev.skiff.SkiffException;
import dev.skiff.engine.Backend;
import dev.skiff.engine.LocalGpus;
import dev.skiff.engine.PoolSpec;
import dev.skiff.engine.WorkerAddress;
import dev.skiff.engine.WorkerLaunch;
import dev.skiff.engine.WorkerProcess;
import dev.skiff.worker.WorkerMain;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each worker JVM in a container on a Docker daemon, local or remote.
 *
 * <p>How workers and the engine reach each other: the worker listens on two ports inside its
 * container and the engine connects to them, because a container on a remote daemon can rarely
 * reach the caller's machine, while the caller already reaches the daemon's machine. On a local
 * daemon (a unix socket) the engine connects to the container's own address; otherwise the ports
 * are published on the daemon's machine (on 127.0.0.1 when that is this machine) and the engine
 * connects to the host of {@code DOCKER_HOST}. {@code SKIFF_DOCKER_NETWORK=published} or
 * {@code container} overrides the choice. A worker accepts only its engine. Over TCP both sides
 * speak CURVE, so the worker accepts only the holder of the engine's secret key and the traffic is
 * encrypted. Behind a unix socket the worker checks the engine's password (PLAIN), because the
 * traffic stays on this machine.
 *
 * <p>Every container carries labels naming its engine, app, function and worker. Closing the
 * backend removes the engine's containers; creating one removes containers left by engines on
 * this machine whose process is gone.
 */
public final class DockerBackend implements Backend {
    private static final Logger LOG = LoggerFactory.getLogger(DockerBackend.class);
    static final int SEND_PORT = 7101;
    static final int RECEIVE_PORT = 7102;
    static final String LABEL_ENGINE = "dev.skiff.engine";
    static final String LABEL_ENGINE_HOST = "dev.skiff.engine-host";
    static final String LABEL_ENGINE_PID = "dev.skiff.engine-pid";
    static final String LABEL_APP = "dev.skiff.app";
    static final String LABEL_FUNCTION = "dev.skiff.function";
    static final String LABEL_WORKER = "dev.skiff.worker";
    /** Memory limit of a container whose function sets none, in MiB. */
    static final int DEFAULT_MEMORY_MIB = 2048;

    /** Worker images known to this process, per daemon, so that later engines skip the lookups. */
    private static final Map<DockerConnection, WorkerImages> IMAGES = new ConcurrentHashMap<>();

    private final String engineId;
    private final DockerConnection docker;
    private final WorkerImages images;
    private final boolean publishPorts;
    /** True for a daemon reached over TCP, whose workers speak CURVE; false for a unix socket (PLAIN). */
    private final boolean encrypted;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "skiff-docker-worker");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<DockerWorker> workers = ConcurrentHashMap.newKeySet();
    private final LocalGpus localGpus = new LocalGpus();

    /**
     * Creates the backend of {@code engineId} on {@code docker}, which it does not close, after
     * removing the containers of engines on this machine whose process is gone.
     */
    public DockerBackend(String engineId, DockerConnection docker) {
        this.engineId = engineId;
        this.docker = docker;
        this.images = IMAGES.computeIfAbsent(docker, WorkerImages::new);
        String network = System.getenv("SKIFF_DOCKER_NETWORK");
        this.publishPorts = network != null && !network.isBlank() ? network.trim().equals("published")
                : !"unix".equals(docker.host().getScheme());
        this.encrypted = !"unix".equals(docker.host().getScheme());
        removeOrphans();
        LOG.info("Docker backend of engine {} uses the daemon at {}; workers are reached {}", engineId, docker.host(),
                publishPorts ? "through published ports on " + docker.publishedHost() : "at their container addresses");
    }

    public DockerConnection connection() {
        return docker;
    }

    @Override
    public WorkerProcess start(WorkerLaunch launch, Consumer<String> outputLine) {
        DockerWorker worker = new DockerWorker(launch, outputLine);
        workers.add(worker);
        worker.exit.whenComplete((status, error) -> workers.remove(worker));
        threads.execute(worker::run);
        return worker;
    }

    /** Creates the container of {@code launch} from {@code image}, without starting it, and returns its id. */
    String createContainer(WorkerLaunch launch, String image) {
        PoolSpec spec = launch.spec();
        FunctionOptions options = spec.options();
        List<String> command = new ArrayList<>(List.of("java", "-XX:SharedArchiveFile=" + WorkerImages.ARCHIVE));
        command.addAll(WorkerImages.JVM_OPTIONS);
        command.addAll(List.of("-XX:+ExitOnOutOfMemoryError", "-XX:MaxRAMPercentage=75", "-cp", WorkerImages.CLASSPATH,
                WorkerMain.class.getName(), WorkerMain.LISTEN_PREFIX + SEND_PORT, WorkerMain.LISTEN_PREFIX + RECEIVE_PORT,
                launch.workerId(), "0"));
        List<String> environment = new ArrayList<>();
        options.env().forEach((name, value) -> environment.add(name + "=" + value));
        for (Secret secret : options.secrets()) {
            secret.values().forEach((name, value) -> environment.add(name + "=" + value));
        }
        environment.add(WorkerLaunch.IDENTITY_VARIABLE + "=" + launch.identity());
        if (encrypted) {
            environment.add(WorkerMain.ENGINE_KEY_VARIABLE + "=" + launch.engineKey());
        } else {
            environment.add(WorkerMain.ENGINE_PASSWORD_VARIABLE + "=" + launch.enginePassword());
        }
        environment.add("HOME=/tmp");

        int memory = options.memory() != null ? options.memory() : DEFAULT_MEMORY_MIB;
        HostConfig host = HostConfig.newHostConfig()
                .withMemory(memory * 1024L * 1024L)
                .withMemorySwap(memory * 1024L * 1024L)
                .withPidsLimit(4096L)
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges"));
        if (options.cpu() != null) {
            host.withNanoCPUs((long) (options.cpu() * 1_000_000_000L));
        }
        ExposedPort send = ExposedPort.tcp(SEND_PORT);
        ExposedPort receive = ExposedPort.tcp(RECEIVE_PORT);
        if (publishPorts) {
            String bindAddress = docker.isLocal() ? "127.0.0.1" : "";
            Ports ports = new Ports();
            ports.bind(send, Ports.Binding.bindIp(bindAddress));
            ports.bind(receive, Ports.Binding.bindIp(bindAddress));
            host.withPortBindings(ports);
        }
        List<Bind> binds = new ArrayList<>();
        options.volumes().forEach((path, volume) -> binds.add(new Bind(volume.name(), new Volume(path))));
        options.mounts().forEach((path, folder) -> {
            // Docker creates a missing bind source as an empty root-owned folder; on this machine, say so instead.
            if (docker.isLocal() && !java.nio.file.Files.isDirectory(java.nio.file.Path.of(folder))) {
                throw new SkiffException(spec.name() + ": mount: the host folder " + folder + " (for " + path
                        + ") does not exist on this machine; create it, or fix the path.");
            }
            binds.add(new Bind(folder, new Volume(path)));
        });
        if (!binds.isEmpty()) {
            host.withBinds(binds);
        }
        if (!options.gpu().isEmpty()) {
            host.withDeviceRequests(List.of(deviceRequest(spec.name(), options.gpu())));
        }

        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL_ENGINE, engineId);
        labels.put(LABEL_ENGINE_HOST, hostName());
        labels.put(LABEL_ENGINE_PID, Long.toString(ProcessHandle.current().pid()));
        labels.put(LABEL_APP, appOf(spec));
        labels.put(LABEL_FUNCTION, spec.name());
        labels.put(LABEL_WORKER, launch.workerId());

        CreateContainerCmd create = docker.client().createContainerCmd(image)
                .withName("skiff-" + launch.workerId())
                .withCmd(command)
                .withEnv(environment)
                .withLabels(labels)
                .withExposedPorts(send, receive)
                .withHostConfig(host);
        return create.exec().getId();
    }

    /** Returns the device request for the first GPU spec: device ids on a local daemon whose GPUs match, else a count. */
    DeviceRequest deviceRequest(String function, List<Gpu> gpus) {
        DeviceRequest request = new DeviceRequest().withDriver("nvidia")
                .withCapabilities(List.of(List.of("gpu")));
        if (docker.isLocal()) {
            try {
                return request.withDeviceIds(List.of(localGpus.assign(function, gpus).split(",")));
            } catch (SkiffException e) {
                LOG.debug("No local GPU matches {} for {}; asking the daemon for a count: {}", gpus, function,
                        e.getMessage());
            }
        }
        return request.withCount(gpus.get(0).count());
    }

    /** Fails with the install steps when the daemon cannot give containers GPUs; {@code what} names the asker. */
    static void requireNvidiaRuntime(DockerConnection docker, String what, List<Gpu> gpus) {
        if (!docker.hasNvidiaRuntime()) {
            throw new SkiffException(what + " asks for GPUs " + gpus + ", but the Docker daemon at " + docker.host()
                    + " has no NVIDIA runtime, so its containers cannot use GPUs. Install the NVIDIA Container Toolkit "
                    + "on that machine (apt-get install nvidia-container-toolkit, then nvidia-ctk runtime configure "
                    + "--runtime=docker, and restart dockerd), or remove the gpu option.");
        }
    }

    private static String appOf(PoolSpec spec) {
        int slash = spec.key().indexOf('/');
        return slash > 0 ? spec.key().substring(0, slash) : spec.key();
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    /** Removes containers of engines that ran on this machine and whose process no longer exists. */
    private void removeOrphans() {
        List<Container> found;
        try {
            found = docker.client().listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(LABEL_ENGINE_HOST, hostName())).exec();
        } catch (DockerException e) {
            LOG.warn("Cannot list containers on {} to remove orphans: {}", docker.host(), e.getMessage());
            return;
        }
        for (Container container : found) {
            String pid = container.getLabels().get(LABEL_ENGINE_PID);
            boolean alive;
            try {
                alive = pid != null && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
            } catch (NumberFormatException e) {
                alive = false;
            }
            if (alive) {
                continue;
            }
            LOG.info("Removing container {} ({}) left by engine {}, whose process {} is gone", container.getId(),
                    container.getLabels().get(LABEL_WORKER), container.getLabels().get(LABEL_ENGINE), pid);
            remove(container.getId());
        }
    }

    private void remove(String containerId) {
        try {
            docker.client().removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // Already gone.
        } catch (DockerException e) {
            LOG.warn("Failed to remove container {}: {}", containerId, e.getMessage());
        }
    }

    @Override
    public void close() {
        for (DockerWorker worker : List.copyOf(workers)) {
            worker.kill();
        }
        for (DockerWorker worker : List.copyOf(workers)) {
            try {
                worker.exit.handle((status, error) -> status).get(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("Container of worker {} did not stop in time; removing it", worker.launch.workerId());
                if (worker.containerId != null) {
                    remove(worker.containerId);
                }
            }
        }
        threads.shutdownNow();
        LOG.info("Docker backend of engine {} closed", engineId);
    }

    /** One worker container, from image build to removal. */
    final class DockerWorker implements WorkerProcess {
        final WorkerLaunch launch;
        private final Consumer<String> outputLine;
        final CompletableFuture<Integer> exit = new CompletableFuture<>();
        private final CompletableFuture<WorkerAddress> address = new CompletableFuture<>();
        volatile String containerId;
        private volatile boolean killed;
        private volatile String detail;

        DockerWorker(WorkerLaunch launch, Consumer<String> outputLine) {
            this.launch = launch;
            this.outputLine = outputLine;
        }

        void run() {
            String workerId = launch.workerId();
            LogLines logs = null;
            Integer status = null;
            RuntimeException failure = null;
            try {
                FunctionOptions options = launch.spec().options();
                if (!options.gpu().isEmpty()) {
                    requireNvidiaRuntime(docker, launch.spec().name(), options.gpu());
                }
                long begun = System.nanoTime();
                String image = images.workerImage(options.image(), launch.spec().bundle().classpath());
                if (killed) {
                    status = 137;
                    return;
                }
                long imageReady = System.nanoTime();
                try {
                    containerId = createContainer(launch, image);
                } catch (NotFoundException e) {
                    // Someone removed the image since this process built it: build it again, once.
                    images.forget(image);
                    image = images.workerImage(options.image(), launch.spec().bundle().classpath());
                    containerId = createContainer(launch, image);
                }
                long created = System.nanoTime();
                DockerClient client = docker.client();
                client.startContainerCmd(containerId).exec();
                long started = System.nanoTime();
                LOG.info("Started worker {} in container {} for {} (image {} ms, create {} ms, start {} ms)", workerId,
                        shortId(containerId), launch.spec().name(), (imageReady - begun) / 1_000_000,
                        (created - imageReady) / 1_000_000, (started - created) / 1_000_000);
                if (!killed) {
                    // The engine starts connecting at once; the log stream, asked for next, starts from the beginning.
                    address.complete(addressOf(client.inspectContainerCmd(containerId).exec()));
                }
                logs = client.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withFollowStream(true)
                        .exec(new LogLines(outputLine));
                if (killed) {
                    client.killContainerCmd(containerId).exec();
                }
                status = client.waitContainerCmd(containerId).start().awaitStatusCode();
                InspectContainerResponse state = client.inspectContainerCmd(containerId).exec();
                if (Boolean.TRUE.equals(state.getState().getOOMKilled())) {
                    detail = "was killed for running out of memory: its container reached the limit of "
                            + (state.getHostConfig().getMemory() / (1024 * 1024)) + " MiB (exit status " + status
                            + ", OOMKilled); raise memory or use less";
                }
            } catch (RuntimeException e) {
                if (killed) {
                    LOG.debug("Worker {} was stopped while starting: {}", workerId, e.getMessage());
                    status = 137;
                } else {
                    LOG.warn("Worker {} for {} failed in Docker: {}", workerId, launch.spec().name(), e.getMessage());
                    failure = e instanceof SkiffException ? e
                            : new SkiffException("Docker on " + docker.host() + " failed: " + e.getMessage(), e);
                }
            } finally {
                if (logs != null) {
                    logs.awaitEnd();
                }
                address.cancel(false);
                if (containerId != null) {
                    remove(containerId);
                }
                // Completed last, so that closing the backend, which waits for this, finds nothing left to do.
                if (failure != null) {
                    exit.completeExceptionally(failure);
                } else {
                    exit.complete(status == null ? -1 : status);
                }
            }
        }

        private WorkerAddress addressOf(InspectContainerResponse container) {
            if (publishPorts) {
                Map<ExposedPort, Ports.Binding[]> bindings = container.getNetworkSettings().getPorts().getBindings();
                String host = docker.publishedHost();
                return new WorkerAddress(endpoint(host, bindings.get(ExposedPort.tcp(SEND_PORT))),
                        endpoint(host, bindings.get(ExposedPort.tcp(RECEIVE_PORT))), encrypted);
            }
            for (ContainerNetwork network : container.getNetworkSettings().getNetworks().values()) {
                String ip = network.getIpAddress();
                if (ip != null && !ip.isEmpty()) {
                    return new WorkerAddress("tcp://" + ip + ":" + SEND_PORT, "tcp://" + ip + ":" + RECEIVE_PORT,
                            encrypted);
                }
            }
            throw new SkiffException("Container " + shortId(container.getId()) + " has no network address; "
                    + "set SKIFF_DOCKER_NETWORK=published to reach workers through published ports.");
        }

        private String endpoint(String host, Ports.Binding[] bindings) {
            if (bindings == null || bindings.length == 0) {
                throw new SkiffException("The Docker daemon at " + docker.host() + " published no port for worker "
                        + launch.workerId() + ".");
            }
            return "tcp://" + host + ":" + bindings[0].getHostPortSpec();
        }

        @Override
        public long pid() {
            return -1;
        }

        @Override
        public CompletableFuture<Integer> onExit() {
            return exit;
        }

        @Override
        public CompletableFuture<WorkerAddress> listening() {
            return address;
        }

        @Override
        public String exitDetail() {
            return detail;
        }

        @Override
        public void kill() {
            killed = true;
            String id = containerId;
            if (id == null || exit.isDone()) {
                return;
            }
            threads.execute(() -> {
                try {
                    docker.client().killContainerCmd(id).exec();
                } catch (NotFoundException e) {
                    // Already removed.
                } catch (DockerException e) {
                    LOG.debug("Kill of container {} failed (it has probably stopped): {}", shortId(id), e.getMessage());
                }
            });
        }

        @Override
        public boolean isAlive() {
            return !exit.isDone();
        }

        @Override
        public String toString() {
            return launch.workerId() + (containerId == null ? "" : " (container " + shortId(containerId) + ")");
        }
    }

    static String shortId(String containerId) {
        return containerId.length() > 12 ? containerId.substring(0, 12) : containerId;
    }

    /** Turns a container's log frames into lines, keeping a partial line until its end arrives. */
    private static final class LogLines extends ResultCallback.Adapter<Frame> {
        private final Consumer<String> outputLine;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        LogLines(Consumer<String> outputLine) {
            this.outputLine = outputLine;
        }

        @Override
        public void onNext(Frame frame) {
            for (byte b : frame.getPayload()) {
                if (b == '\n') {
                    flush();
                } else {
                    pending.write(b);
                }
            }
        }

        private void flush() {
            String line = pending.toString(StandardCharsets.UTF_8);
            pending.reset();
            outputLine.accept(line);
        }

        /** Waits up to 2 s for the log stream to end after the container stopped, then closes it. */
        void awaitEnd() {
            try {
                awaitCompletion(2, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                close();
            } catch (java.io.IOException e) {
                // The stream is over either way.
            }
            if (pending.size() > 0) {
                flush();
            }
        }
    }
}
