package dev.skiff.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import dev.skiff.ContainerProcess;
import dev.skiff.ExecOptions;
import dev.skiff.SkiffException;
import dev.skiff.engine.SandboxBackend;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sandbox container. An instance made by the creating JVM enforces the timeouts and remembers
 * why the sandbox ended; one found with {@code fromId} in another JVM reads the container's state,
 * and distinguishes a timed-out sandbox (124) from a terminated one (137) by its deadline label.
 *
 * <p>Tags given at creation are container labels, which Docker cannot change, so
 * {@link #setTags} writes the new tags to the file {@value #TAGS_FILE} in the container, and that
 * file, when present, takes the labels' place.
 */
final class DockerSandbox implements SandboxBackend.Instance {
    private static final Logger LOG = LoggerFactory.getLogger(DockerSandbox.class);
    static final String TAGS_FILE = "/.skiff-sandbox-tags";
    static final int TIMED_OUT = 124;
    static final int TERMINATED = 137;

    private final DockerSandboxes backend;
    private final String sandboxId;
    private final String containerId;
    private final long deadlineMillis;
    /** The exit code once this JVM ended the sandbox (timeout or terminate), else null. */
    private volatile Integer ended;
    private final AtomicInteger runningExecs = new AtomicInteger();
    private volatile long lastActivityNanos = System.nanoTime();
    private volatile ScheduledFuture<?> timeoutTask;
    private volatile ScheduledFuture<?> idleTask;

    DockerSandbox(DockerSandboxes backend, String sandboxId, String containerId, long deadlineMillis) {
        this.backend = backend;
        this.sandboxId = sandboxId;
        this.containerId = containerId;
        this.deadlineMillis = deadlineMillis;
    }

    @Override
    public String id() {
        return sandboxId;
    }

    String containerId() {
        return containerId;
    }

    /** Schedules the end of the sandbox at {@code timeout}, and checks for idleness when {@code idleTimeout} is set. */
    void scheduleLimits(Duration timeout, Duration idleTimeout) {
        timeoutTask = backend.timers().schedule(() -> end(TIMED_OUT, "ran past its timeout of " + timeout.toMillis()
                + " ms"), timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (idleTimeout != null) {
            long period = Math.max(100, Math.min(1000, idleTimeout.toMillis() / 4));
            idleTask = backend.timers().scheduleWithFixedDelay(() -> {
                long idle = System.nanoTime() - lastActivityNanos;
                if (runningExecs.get() == 0 && idle >= idleTimeout.toNanos()) {
                    end(TIMED_OUT, "was idle for " + idleTimeout.toMillis() + " ms");
                }
            }, period, period, TimeUnit.MILLISECONDS);
        }
    }

    /** Returns true once this JVM ended the sandbox, by its timeout, its idle timeout or {@link #terminate()}. */
    boolean endedHere() {
        return ended != null;
    }

    /** Records activity for the idle timeout: an exec starting or ending, or input sent. */
    void touch() {
        lastActivityNanos = System.nanoTime();
    }

    @Override
    public ContainerProcess exec(ExecOptions options, List<String> command) {
        if (ended != null) {
            throw new SkiffException("Sandbox " + sandboxId + " has ended with exit code " + ended
                    + "; create a new sandbox to run " + command + ".");
        }
        touch();
        runningExecs.incrementAndGet();
        try {
            DockerExec process = new DockerExec(this, backend.connection(), backend.timers(), options, command);
            process.onExit().whenComplete((code, error) -> {
                runningExecs.decrementAndGet();
                touch();
            });
            return process;
        } catch (RuntimeException e) {
            runningExecs.decrementAndGet();
            throw e;
        }
    }

    @Override
    public void terminate() {
        end(TERMINATED, "was terminated");
    }

    /**
     * Kills and removes the container, unless this JVM already did. The exit code becomes
     * {@code exitCode}, or the main process's own exit code when it had already ended.
     */
    private void end(int exitCode, String reason) {
        if (ended != null) {
            return;
        }
        Integer exited = poll();
        synchronized (this) {
            if (ended != null) {
                return;
            }
            ended = exited != null ? exited : exitCode;
        }
        cancel(timeoutTask);
        cancel(idleTask);
        LOG.info("Sandbox {} {}; removing container {} (exit code {})", sandboxId, reason,
                DockerBackend.shortId(containerId), ended);
        try {
            backend.connection().client().killContainerCmd(containerId).exec();
        } catch (NotFoundException | ConflictException e) {
            // Already stopped or removed.
        } catch (DockerException e) {
            LOG.debug("Kill of sandbox container {} failed: {}", DockerBackend.shortId(containerId), e.getMessage());
        }
        backend.removeContainer(containerId);
        backend.forget(sandboxId);
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    @Override
    public Integer poll() {
        Integer known = ended;
        if (known != null) {
            return known;
        }
        InspectContainerResponse container;
        try {
            container = backend.connection().client().inspectContainerCmd(containerId).exec();
        } catch (NotFoundException e) {
            return System.currentTimeMillis() >= deadlineMillis && deadlineMillis > 0 ? TIMED_OUT : TERMINATED;
        }
        InspectContainerResponse.ContainerState state = container.getState();
        if (Boolean.TRUE.equals(state.getRunning()) || "created".equals(state.getStatus())) {
            return null;
        }
        Long code = state.getExitCodeLong();
        return code == null ? TERMINATED : code.intValue();
    }

    @Override
    public int waitFor() throws InterruptedException {
        while (true) {
            Integer code = poll();
            if (code != null) {
                return code;
            }
            Thread.sleep(100);
        }
    }

    @Override
    public Map<String, String> tags() {
        try (InputStream archive = backend.connection().client().copyArchiveFromContainerCmd(containerId, TAGS_FILE)
                .exec();
                TarArchiveInputStream tar = new TarArchiveInputStream(archive)) {
            if (tar.getNextEntry() == null) {
                return labelTags();
            }
            Properties properties = new Properties();
            properties.load(new StringReader(new String(tar.readAllBytes(), StandardCharsets.UTF_8)));
            Map<String, String> tags = new TreeMap<>();
            properties.stringPropertyNames().forEach(key -> tags.put(key, properties.getProperty(key)));
            return Map.copyOf(tags);
        } catch (NotFoundException e) {
            return labelTags();
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the tags of sandbox " + sandboxId + " failed", e);
        }
    }

    private Map<String, String> labelTags() {
        Map<String, String> labels;
        try {
            labels = backend.connection().client().inspectContainerCmd(containerId).exec().getConfig().getLabels();
        } catch (NotFoundException e) {
            throw new dev.skiff.NotFoundException("Sandbox " + sandboxId + " no longer exists; it was terminated "
                    + "or timed out.");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        labels.forEach((key, value) -> {
            if (key.startsWith(DockerSandboxes.TAG_PREFIX)) {
                tags.put(key.substring(DockerSandboxes.TAG_PREFIX.length()), value);
            }
        });
        return Map.copyOf(tags);
    }

    @Override
    public void setTags(Map<String, String> tags) {
        Properties properties = new Properties();
        properties.putAll(tags);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        ByteArrayOutputStream archive = new ByteArrayOutputStream();
        try {
            properties.store(text, null);
            byte[] content = text.toByteArray();
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(archive)) {
                TarArchiveEntry entry = new TarArchiveEntry(TAGS_FILE.substring(1));
                entry.setSize(content.length);
                entry.setMode(0644);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            backend.connection().client().copyArchiveToContainerCmd(containerId).withRemotePath("/")
                    .withTarInputStream(new ByteArrayInputStream(archive.toByteArray())).exec();
        } catch (NotFoundException e) {
            throw new dev.skiff.NotFoundException("Sandbox " + sandboxId + " no longer exists; it was terminated "
                    + "or timed out.");
        }
    }

    @Override
    public Map<Integer, InetSocketAddress> tunnels() {
        InspectContainerResponse container;
        try {
            container = backend.connection().client().inspectContainerCmd(containerId).exec();
        } catch (NotFoundException e) {
            throw new dev.skiff.NotFoundException("Sandbox " + sandboxId + " no longer exists; it was terminated "
                    + "or timed out.");
        }
        Map<Integer, InetSocketAddress> tunnels = new TreeMap<>();
        Map<ExposedPort, Ports.Binding[]> bindings = container.getNetworkSettings().getPorts().getBindings();
        String host = backend.connection().publishedHost();
        bindings.forEach((port, published) -> {
            if (published != null && published.length > 0) {
                tunnels.put(port.getPort(), InetSocketAddress.createUnresolved(host,
                        Integer.parseInt(published[0].getHostPortSpec())));
            }
        });
        return Map.copyOf(tunnels);
    }

    @Override
    public String toString() {
        return sandboxId + " (container " + DockerBackend.shortId(containerId) + ")";
    }
}
