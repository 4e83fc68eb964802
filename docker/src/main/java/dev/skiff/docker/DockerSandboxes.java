package dev.skiff.docker;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import dev.skiff.Image;
import dev.skiff.InvalidException;
import dev.skiff.SandboxOptions;
import dev.skiff.SkiffException;
import dev.skiff.engine.SandboxBackend;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs sandboxes as containers on one Docker daemon, with the limits of worker containers: a memory
 * limit, at most 4096 processes, every capability dropped and no-new-privileges.
 *
 * <p>Each container carries the labels {@code dev.skiff.sandbox} (the sandbox id),
 * {@code dev.skiff.app}, {@code dev.skiff.sandbox-name} when named, {@code dev.skiff.tag.KEY} per
 * tag given at creation, and the creating JVM's host and process id. A named sandbox's container is
 * named from a hash of its app and name, so the daemon rejects a second one atomically.
 *
 * <p>Sandboxes created by this JVM are killed and removed by a shutdown hook; on creation this
 * backend removes sandbox containers left on this machine by JVMs that no longer run.
 */
final class DockerSandboxes implements SandboxBackend {
    private static final Logger LOG = LoggerFactory.getLogger(DockerSandboxes.class);
    static final String LABEL_SANDBOX = "dev.skiff.sandbox";
    static final String LABEL_NAME = "dev.skiff.sandbox-name";
    /** When the sandbox's timeout ends, in milliseconds since the epoch, so that any JVM can tell 124 from 137. */
    static final String LABEL_DEADLINE = "dev.skiff.sandbox-deadline";
    static final String TAG_PREFIX = "dev.skiff.tag.";
    /** All tags given at creation, as {@link java.util.Properties} text; the labels under {@link #TAG_PREFIX} serve {@code docker ps --filter}. */
    static final String LABEL_TAGS = "dev.skiff.tags";
    /** The label of the snapshot an image was committed as. */
    static final String LABEL_SNAPSHOT = "dev.skiff.snapshot";
    /** The repository of snapshot images; a snapshot's label or deployed name is the tag. */
    static final String SNAPSHOT_REPOSITORY = "skiff-snapshot";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DockerConnection docker;
    private final ImageBuilder images;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "skiff-sandbox-timer");
        thread.setDaemon(true);
        return thread;
    });
    /** Sandboxes this JVM created and has not terminated, by id. */
    private final Map<String, DockerSandbox> created = new ConcurrentHashMap<>();

    DockerSandboxes(DockerConnection docker) {
        this.docker = docker;
        this.images = new ImageBuilder(docker);
        removeOrphans();
        Runtime.getRuntime().addShutdownHook(new Thread(this::removeCreated, "skiff-sandbox-cleanup"));
    }

    @Override
    public String name() {
        return "docker";
    }

    DockerConnection connection() {
        return docker;
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    @Override
    public DockerSandbox create(SandboxOptions options) {
        String image = images.build(options.image() == null ? Image.debianSlim() : options.image());
        String sandboxId = "sb-" + HexFormat.of().formatHex(randomBytes());
        long deadline = System.currentTimeMillis() + options.timeout().toMillis();
        String containerId;
        try {
            containerId = createContainer(sandboxId, options, image, deadline);
        } catch (ConflictException e) {
            throw new InvalidException("A sandbox named '" + options.name() + "' already runs in the app '"
                    + options.app() + "'; terminate it, or choose another name.");
        }
        try {
            docker.client().startContainerCmd(containerId).exec();
        } catch (DockerException e) {
            removeContainer(containerId);
            String message = DockerConnection.daemonMessage(e);
            if (message.contains("executable file not found") || message.contains("no such file or directory")) {
                throw new InvalidException("Cannot start sandbox " + sandboxId + ": its command " + options.command()
                        + " is not in the image " + image + " (" + message + "). Install the program in the image, "
                        + "or give its full path.");
            }
            throw new SkiffException("Starting sandbox " + sandboxId + " on " + docker.host() + " failed: " + message, e);
        }
        DockerSandbox sandbox = new DockerSandbox(this, sandboxId, containerId, deadline);
        created.put(sandboxId, sandbox);
        sandbox.scheduleLimits(options.timeout(), options.idleTimeout());
        LOG.info("Started sandbox {} in container {} from {} (app {}{})", sandboxId,
                DockerBackend.shortId(containerId), image, options.app(),
                options.name() == null ? "" : ", name " + options.name());
        return sandbox;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private String createContainer(String sandboxId, SandboxOptions options, String image, long deadline) {
        List<String> command = options.command().isEmpty()
                ? List.of("sleep", Long.toString(options.timeout().toSeconds() + 1))
                : options.command();
        List<String> environment = new ArrayList<>();
        options.environment().forEach((name, value) -> environment.add(name + "=" + value));

        int memory = options.memory() != null ? options.memory() : DockerBackend.DEFAULT_MEMORY_MIB;
        HostConfig host = HostConfig.newHostConfig()
                .withMemory(memory * 1024L * 1024L)
                .withMemorySwap(memory * 1024L * 1024L)
                .withPidsLimit(4096L)
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges"));
        if (options.cpu() != null) {
            host.withNanoCPUs((long) (options.cpu() * 1_000_000_000L));
        }
        if (options.blockNetwork()) {
            host.withNetworkMode("none");
        }
        if (!options.gpu().isEmpty()) {
            DockerBackend.requireNvidiaRuntime(docker, "Sandbox " + sandboxId, options.gpu());
            host.withDeviceRequests(List.of(new DeviceRequest().withDriver("nvidia")
                    .withCapabilities(List.of(List.of("gpu"))).withCount(options.gpu().get(0).count())));
        }
        List<ExposedPort> exposed = new ArrayList<>();
        if (!options.ports().isEmpty()) {
            Ports ports = new Ports();
            String bindAddress = docker.isLocal() ? "127.0.0.1" : "";
            for (int port : options.ports()) {
                ExposedPort tcp = ExposedPort.tcp(port);
                exposed.add(tcp);
                ports.bind(tcp, Ports.Binding.bindIp(bindAddress));
            }
            host.withPortBindings(ports);
        }
        List<Bind> binds = new ArrayList<>();
        options.volumes().forEach((path, volume) -> binds.add(new Bind(volume.name(), new Volume(path))));
        options.mounts().forEach((path, folder) -> binds.add(new Bind(folder, new Volume(path))));
        if (!binds.isEmpty()) {
            host.withBinds(binds);
        }

        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL_SANDBOX, sandboxId);
        labels.put(DockerBackend.LABEL_APP, options.app());
        // Set even when empty, so that the labels of a snapshot image this sandbox starts from do not apply.
        labels.put(LABEL_NAME, options.name() == null ? "" : options.name());
        labels.put(LABEL_TAGS, DockerSandbox.formatTags(options.tags()));
        labels.put(LABEL_DEADLINE, Long.toString(deadline));
        labels.put(DockerBackend.LABEL_ENGINE_HOST, DockerBackend.hostName());
        labels.put(DockerBackend.LABEL_ENGINE_PID, Long.toString(ProcessHandle.current().pid()));
        options.tags().forEach((key, value) -> labels.put(TAG_PREFIX + key, value));

        CreateContainerCmd create = docker.client().createContainerCmd(image)
                .withName(options.name() == null ? "skiff-" + sandboxId : containerName(options.app(), options.name()))
                .withCmd(command)
                .withEnv(environment)
                .withLabels(labels)
                .withHostConfig(host);
        if (!exposed.isEmpty()) {
            create.withExposedPorts(exposed);
        }
        if (options.workdir() != null) {
            create.withWorkingDir(options.workdir());
        }
        return create.exec().getId();
    }

    /** Returns the container name of a named sandbox; a hash keeps app "a-b" name "c" apart from app "a" name "b-c". */
    private static String containerName(String app, String name) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(app.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            return "skiff-sandbox-" + HexFormat.of().formatHex(digest.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public DockerSandbox find(String sandboxId) {
        DockerSandbox own = created.get(sandboxId);
        if (own != null) {
            return own;
        }
        List<Container> found = docker.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(LABEL_SANDBOX, sandboxId)).exec().stream()
                .filter(container -> sandboxId.equals(container.getLabels().get(LABEL_SANDBOX))).toList();
        if (found.isEmpty()) {
            throw new dev.skiff.NotFoundException("No sandbox has the id '" + sandboxId + "' on the Docker daemon at "
                    + docker.host() + "; it may have been terminated or timed out.");
        }
        return fromContainer(found.get(0));
    }

    @Override
    public DockerSandbox findByName(String app, String name) {
        List<Container> found = docker.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerBackend.LABEL_APP, app, LABEL_NAME, name)).exec();
        for (Container container : found) {
            Map<String, String> labels = container.getLabels();
            // The daemon's filter treats an empty value as "any", so check the values here too.
            if (!labels.getOrDefault(LABEL_SANDBOX, "").isEmpty() && app.equals(labels.get(DockerBackend.LABEL_APP))
                    && name.equals(labels.get(LABEL_NAME))) {
                return fromContainer(container);
            }
        }
        throw new dev.skiff.NotFoundException("No sandbox is named '" + name + "' in the app '" + app
                + "' on the Docker daemon at " + docker.host() + "; it may have been terminated or timed out.");
    }

    @Override
    public List<SandboxBackend.Instance> list(Map<String, String> tags) {
        List<Container> found = docker.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of(LABEL_SANDBOX)).exec();
        List<SandboxBackend.Instance> matching = new ArrayList<>();
        for (Container container : found) {
            if (container.getLabels().getOrDefault(LABEL_SANDBOX, "").isEmpty()) {
                // A container from a snapshot image, whose sandbox label the snapshot blanked.
                continue;
            }
            DockerSandbox sandbox = fromContainer(container);
            Map<String, String> current;
            try {
                current = sandbox.tags();
            } catch (dev.skiff.NotFoundException e) {
                continue;
            }
            if (current.entrySet().containsAll(tags.entrySet())) {
                matching.add(sandbox);
            }
        }
        return matching;
    }

    private DockerSandbox fromContainer(Container container) {
        String sandboxId = container.getLabels().get(LABEL_SANDBOX);
        DockerSandbox own = created.get(sandboxId);
        if (own != null) {
            return own;
        }
        long deadline;
        try {
            deadline = Long.parseLong(container.getLabels().getOrDefault(LABEL_DEADLINE, "0"));
        } catch (NumberFormatException e) {
            deadline = 0;
        }
        return new DockerSandbox(this, sandboxId, container.getId(), deadline);
    }

    /**
     * Commits the sandbox's container as the image {@code skiff-snapshot:NAME} and returns the image's id.
     * The commit blanks every {@code dev.skiff.} label and every environment variable that the
     * sandbox's options added, so secrets stay out of the image and containers made from it do not
     * pass for the sandbox.
     */
    String commit(DockerSandbox sandbox, String name) {
        InspectContainerResponse container;
        try {
            container = docker.client().inspectContainerCmd(sandbox.containerId()).exec();
        } catch (NotFoundException e) {
            throw sandbox.gone();
        }
        Map<String, String> labels = blankedLabels(container, name);
        List<String> environment = blankedEnvironment(container);

        String previous = findSnapshot(name);
        long started = System.nanoTime();
        String imageId;
        try {
            imageId = docker.client().commitCmd(sandbox.containerId())
                    .withRepository(SNAPSHOT_REPOSITORY)
                    .withTag(name)
                    .withLabels(labels)
                    .withEnv(environment.toArray(String[]::new))
                    .withPause(true)
                    .exec();
        } catch (NotFoundException e) {
            throw sandbox.gone();
        }
        LOG.info("Committed sandbox {} as snapshot {} ({}) in {} ms", sandbox.id(), name, shortImageId(imageId),
                (System.nanoTime() - started) / 1_000_000);
        removeIfUnused(previous, imageId);
        return imageId;
    }

    /** Returns the container's {@code dev.skiff.} labels set to "", and the snapshot label. */
    private static Map<String, String> blankedLabels(InspectContainerResponse container, String name) {
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, String> current = container.getConfig().getLabels();
        if (current != null) {
            current.keySet().stream().filter(key -> key.startsWith("dev.skiff.")).forEach(key -> labels.put(key, ""));
        }
        labels.put(LABEL_SNAPSHOT, name);
        return labels;
    }

    /** Returns the image's environment, plus each variable the sandbox's options added, set to "". */
    private List<String> blankedEnvironment(InspectContainerResponse container) {
        List<String> imageEnvironment = List.of();
        try {
            String[] env = docker.client().inspectImageCmd(container.getImageId()).exec().getConfig().getEnv();
            imageEnvironment = env == null ? List.of() : List.of(env);
        } catch (NotFoundException e) {
            // The image was removed while the container runs, so every variable is blanked.
        }
        List<String> environment = new ArrayList<>(imageEnvironment);
        String[] containerEnvironment = container.getConfig().getEnv();
        if (containerEnvironment == null) {
            return environment;
        }
        for (String variable : containerEnvironment) {
            String key = variable.substring(0, Math.max(0, variable.indexOf('=')));
            boolean fromImage = imageEnvironment.stream().anyMatch(image -> image.startsWith(key + "="));
            if (!key.isEmpty() && !fromImage) {
                environment.add(key + "=");
            }
        }
        return environment;
    }

    /**
     * Removes the image a snapshot name pointed to before it was moved to {@code current}, unless another
     * name, a container or a child image still uses it: the daemon refuses those without force.
     */
    private void removeIfUnused(String previous, String current) {
        if (previous == null || previous.equals(current)) {
            return;
        }
        try {
            List<String> tags = docker.client().inspectImageCmd(previous).exec().getRepoTags();
            if (tags != null && !tags.isEmpty()) {
                // Still named, for example by deploy; removing it by id would remove that name too.
                return;
            }
            docker.client().removeImageCmd(previous).withForce(false).exec();
            LOG.info("Removed the replaced snapshot image {}", shortImageId(previous));
        } catch (ConflictException | NotFoundException e) {
            LOG.debug("Keeping the replaced snapshot image {}: {}", shortImageId(previous), e.getMessage());
        }
    }

    private static String shortImageId(String imageId) {
        String hex = imageId.startsWith("sha256:") ? imageId.substring(7) : imageId;
        return hex.substring(0, Math.min(12, hex.length()));
    }

    @Override
    public String findSnapshot(String name) {
        try {
            return docker.client().inspectImageCmd(SNAPSHOT_REPOSITORY + ":" + name).exec().getId();
        } catch (NotFoundException e) {
            return null;
        }
    }

    @Override
    public String nameSnapshot(String reference, String name) {
        String previous = findSnapshot(name);
        try {
            docker.client().tagImageCmd(reference, SNAPSHOT_REPOSITORY, name).withForce().exec();
        } catch (NotFoundException e) {
            throw new dev.skiff.NotFoundException("The snapshot image " + shortImageId(reference) + " no longer "
                    + "exists on the Docker daemon at " + docker.host() + "; create the snapshot again.");
        }
        LOG.info("Named snapshot image {} {}:{}", shortImageId(reference), SNAPSHOT_REPOSITORY, name);
        removeIfUnused(previous, reference);
        return reference;
    }

    @Override
    public void deleteSnapshot(String name) {
        try {
            docker.client().removeImageCmd(SNAPSHOT_REPOSITORY + ":" + name).withForce(true).exec();
            LOG.info("Removed snapshot {}:{}", SNAPSHOT_REPOSITORY, name);
        } catch (NotFoundException e) {
            // Already removed.
        }
    }

    /** Forgets a sandbox that this JVM no longer needs to remove on exit. */
    void forget(String sandboxId) {
        created.remove(sandboxId);
    }

    void removeContainer(String containerId) {
        try {
            docker.client().removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // Already removed.
        } catch (ConflictException e) {
            // The daemon is already removing it.
            LOG.debug("Removal of container {} is already in progress: {}", containerId, e.getMessage());
        } catch (DockerException e) {
            LOG.warn("Failed to remove sandbox container {}: {}", DockerBackend.shortId(containerId), e.getMessage());
        }
    }

    private void removeCreated() {
        for (DockerSandbox sandbox : List.copyOf(created.values())) {
            LOG.info("Removing sandbox {} as its JVM exits", sandbox.id());
            sandbox.terminate();
        }
    }

    /** Removes sandbox containers of JVMs that ran on this machine and whose process no longer exists. */
    private void removeOrphans() {
        List<Container> found;
        try {
            found = docker.client().listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(DockerBackend.LABEL_ENGINE_HOST, DockerBackend.hostName()))
                    .exec();
        } catch (DockerException e) {
            LOG.warn("Cannot list containers on {} to remove orphaned sandboxes: {}", docker.host(), e.getMessage());
            return;
        }
        for (Container container : found) {
            String sandboxId = container.getLabels().get(LABEL_SANDBOX);
            if (sandboxId == null || sandboxId.isEmpty()) {
                continue;
            }
            String pid = container.getLabels().get(DockerBackend.LABEL_ENGINE_PID);
            boolean alive;
            try {
                alive = pid != null && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
            } catch (NumberFormatException e) {
                alive = false;
            }
            if (!alive) {
                LOG.info("Removing sandbox {} (container {}) left by process {}, which is gone", sandboxId,
                        DockerBackend.shortId(container.getId()), pid);
                removeContainer(container.getId());
            }
        }
    }
}
