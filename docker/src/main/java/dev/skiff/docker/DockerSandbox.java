package dev.skiff.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import dev.skiff.ContainerProcess;
import dev.skiff.ExecOptions;
import dev.skiff.InvalidException;
import dev.skiff.SkiffException;
import dev.skiff.Tunnel;
import dev.skiff.engine.SandboxBackend;
import dev.skiff.engine.SandboxBackend.End;
import dev.skiff.engine.SandboxLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sandbox container. An instance made by the creating JVM enforces the timeouts and remembers
 * why the sandbox ended; one found with {@code fromId} in another JVM reads the container's state,
 * and distinguishes a timed-out sandbox (124) from a terminated one (137) by its deadline label.
 *
 * <p>Tags given at creation are container labels, which Docker cannot change, so
 * {@link #setTags} writes the new tags to the file {@value #TAGS_FILE}ID in the container, and that
 * file, when present, takes the labels' place.
 */
final class DockerSandbox implements SandboxBackend.Instance {
    private static final Logger LOG = LoggerFactory.getLogger(DockerSandbox.class);
    /** The prefix of the file that {@link #setTags} writes; the sandbox id follows it, so that a snapshot's copy does not apply to sandboxes made from it. */
    static final String TAGS_FILE = "/.skiff-tags-";
    static final int TIMED_OUT = 124;
    private static final long MAX_TAGS_FILE_BYTES = 64 * 1024;
    static final int TERMINATED = 137;

    private final DockerSandboxes backend;
    private final String sandboxId;
    private final String containerId;
    private final long deadlineMillis;
    /** The exit code once this JVM ended the sandbox (timeout or terminate), else null. */
    private volatile Integer ended;
    /** The way this JVM ended the sandbox, set before {@link #ended}. */
    private volatile End endedHow;
    private final DockerSandboxFiles files;
    private volatile SandboxLimits limits;

    DockerSandbox(DockerSandboxes backend, String sandboxId, String containerId, long deadlineMillis) {
        this.backend = backend;
        this.sandboxId = sandboxId;
        this.containerId = containerId;
        this.deadlineMillis = deadlineMillis;
        this.files = new DockerSandboxFiles(this, backend.connection());
    }

    @Override
    public String id() {
        return sandboxId;
    }

    @Override
    public String backend() {
        return "docker";
    }

    String containerId() {
        return containerId;
    }

    /** Schedules the end of the sandbox at {@code timeout}, and checks for idleness when {@code idleTimeout} is set. */
    void scheduleLimits(Duration timeout, Duration idleTimeout) {
        limits = new SandboxLimits(backend.timers(), timeout, idleTimeout,
                reason -> end(End.TIMED_OUT, TIMED_OUT, reason));
    }

    /** Returns true once this JVM ended the sandbox, by its timeout, its idle timeout or {@link #terminate()}. */
    boolean endedHere() {
        return ended != null;
    }

    /** Records activity for the idle timeout: an exec starting or ending, or input sent. */
    void touch() {
        SandboxLimits current = limits;
        if (current != null) {
            current.touch();
        }
    }

    @Override
    public ContainerProcess exec(ExecOptions options, List<String> command) {
        if (ended != null) {
            throw new SkiffException("Sandbox " + sandboxId + " has ended with exit code " + ended
                    + "; create a new sandbox to run " + command + ".");
        }
        SandboxLimits current = limits;
        if (current != null) {
            current.execStarted();
        }
        try {
            DockerExec process = new DockerExec(this, backend.connection(), backend.timers(), options, command);
            if (current != null) {
                process.onExit().whenComplete((code, error) -> current.execEnded());
            }
            return process;
        } catch (RuntimeException e) {
            if (current != null) {
                current.execEnded();
            }
            throw e;
        }
    }

    @Override
    public void terminate() {
        end(End.TERMINATED, TERMINATED, "was terminated");
    }

    /**
     * Kills and removes the container, unless this JVM already did. The exit code becomes
     * {@code exitCode}, or the main process's own exit code when it had already ended.
     */
    private void end(End how, int exitCode, String reason) {
        if (ended != null) {
            return;
        }
        Integer exited = poll();
        synchronized (this) {
            if (ended != null) {
                return;
            }
            endedHow = exited != null ? End.EXITED : how;
            ended = exited != null ? exited : exitCode;
        }
        SandboxLimits current = limits;
        if (current != null) {
            current.cancel();
        }
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
        End how = killedBySkiff(state);
        if (how != null) {
            return how == End.TIMED_OUT ? TIMED_OUT : TERMINATED;
        }
        Long code = state.getExitCodeLong();
        return code == null ? TERMINATED : code.intValue();
    }

    /**
     * Returns how a JVM ended this stopped container, or null when its main process ended by itself.
     * Another JVM's kill shows as exit status 137 without an out-of-memory kill, before that JVM removes
     * the container; the deadline label separates a timeout from {@code terminate()}.
     * NOTE: a main process that SIGKILLs itself reads as terminated here.
     */
    private End killedBySkiff(InspectContainerResponse.ContainerState state) {
        Long code = state.getExitCodeLong();
        if (code == null || code != TERMINATED || Boolean.TRUE.equals(state.getOOMKilled())) {
            return null;
        }
        return deadlineMillis > 0 && System.currentTimeMillis() >= deadlineMillis ? End.TIMED_OUT : End.TERMINATED;
    }

    @Override
    public End end() {
        End how = endedHow;
        if (how != null) {
            return how;
        }
        InspectContainerResponse.ContainerState state;
        try {
            state = backend.connection().client().inspectContainerCmd(containerId).exec().getState();
        } catch (NotFoundException e) {
            return System.currentTimeMillis() >= deadlineMillis && deadlineMillis > 0 ? End.TIMED_OUT : End.TERMINATED;
        }
        if (Boolean.TRUE.equals(state.getRunning()) || "created".equals(state.getStatus())) {
            return null;
        }
        End killed = killedBySkiff(state);
        return killed != null ? killed : End.EXITED;
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
        try (InputStream archive = backend.connection().client()
                .copyArchiveFromContainerCmd(containerId, TAGS_FILE + sandboxId).exec();
                TarArchiveInputStream tar = new TarArchiveInputStream(archive)) {
            TarArchiveEntry entry = tar.getNextEntry();
            if (entry == null) {
                return labelTags();
            }
            if (entry.getSize() > MAX_TAGS_FILE_BYTES) {
                // Code in the sandbox can write this file; a huge one must not exhaust this JVM's memory.
                throw new SkiffException("The tags file " + TAGS_FILE + sandboxId + " in sandbox " + sandboxId + " has "
                        + entry.getSize() + " bytes, more than " + MAX_TAGS_FILE_BYTES + "; call setTags to replace it.");
            }
            return parseTags(new String(tar.readAllBytes(), StandardCharsets.UTF_8));
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
            throw gone();
        }
        return parseTags(labels.getOrDefault(DockerSandboxes.LABEL_TAGS, ""));
    }

    /** Returns tags from the {@link Properties} text that {@link #formatTags} wrote. */
    static Map<String, String> parseTags(String text) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> tags = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> tags.put(key, properties.getProperty(key)));
        return Map.copyOf(tags);
    }

    /** Returns {@code tags} as {@link Properties} text without the date comment. */
    static String formatTags(Map<String, String> tags) {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, String> tag : new TreeMap<>(tags).entrySet()) {
            Properties one = new Properties();
            one.setProperty(tag.getKey(), tag.getValue());
            java.io.StringWriter line = new java.io.StringWriter();
            try {
                one.store(line, null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            line.toString().lines().filter(l -> !l.startsWith("#")).forEach(l -> text.append(l).append('\n'));
        }
        return text.toString();
    }

    @Override
    public void setTags(Map<String, String> tags) {
        files.write(TAGS_FILE + sandboxId, formatTags(tags).getBytes(StandardCharsets.ISO_8859_1));
    }

    @Override
    public Map<Integer, Tunnel> tunnels() {
        InspectContainerResponse container;
        try {
            container = backend.connection().client().inspectContainerCmd(containerId).exec();
        } catch (NotFoundException e) {
            throw gone();
        }
        Map<Integer, Tunnel> tunnels = new TreeMap<>();
        Map<ExposedPort, Ports.Binding[]> bindings = container.getNetworkSettings().getPorts().getBindings();
        String host = backend.connection().publishedHost();
        bindings.forEach((port, published) -> {
            if (published != null && published.length > 0) {
                tunnels.put(port.getPort(), new Tunnel(host, Integer.parseInt(published[0].getHostPortSpec())));
            }
        });
        return Map.copyOf(tunnels);
    }

    @Override
    public Tunnel tunnel(int port) {
        Map<Integer, Tunnel> tunnels = tunnels();
        Tunnel tunnel = tunnels.get(port);
        if (tunnel == null) {
            throw new InvalidException("Sandbox " + sandboxId + " does not publish port " + port + " (it publishes "
                    + (tunnels.isEmpty() ? "none" : tunnels.keySet()) + "); Docker publishes ports only at creation, "
                    + "so create the sandbox with ports(" + port + ").");
        }
        return tunnel;
    }

    @Override
    public byte[] readFile(String path) {
        return files.read(path);
    }

    @Override
    public void writeFile(String path, byte[] content) {
        files.write(path, content);
    }

    @Override
    public List<String> listFiles(String path) {
        return files.list(path);
    }

    @Override
    public void makeDirectory(String path, boolean parents) {
        files.makeDirectory(path, parents);
    }

    @Override
    public void remove(String path, boolean recursive) {
        files.remove(path, recursive);
    }

    @Override
    public String snapshot(String name) {
        return backend.commit(this, name);
    }

    /** Returns true while the container exists, running or not. */
    boolean exists() {
        try {
            backend.connection().client().inspectContainerCmd(containerId).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    dev.skiff.NotFoundException gone() {
        return new dev.skiff.NotFoundException("Sandbox " + sandboxId + " no longer exists; it was terminated "
                + "or timed out.");
    }

    @Override
    public String toString() {
        return sandboxId + " (container " + DockerBackend.shortId(containerId) + ")";
    }
}
