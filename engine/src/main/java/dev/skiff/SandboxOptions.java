package dev.skiff;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Command, image, resources and limits of a {@link Sandbox}. Immutable: each setter returns a
 * changed copy, and each rejects an invalid value with an {@link InvalidException} before anything
 * starts.
 *
 * <p>Defaults: no command (the sandbox sleeps until its timeout, waiting for {@link Sandbox#exec}),
 * {@link Image#debianSlim()}, timeout 300 s, no idle timeout, the app {@code sandboxes}, no name,
 * network access, no published ports, no cpu limit and a 2048 MiB memory limit on Docker.
 */
public final class SandboxOptions {
    /** Names of apps and sandboxes, and tag keys: they become parts of Docker labels. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    static final Duration MAX_TIMEOUT = Duration.ofHours(24);

    private List<String> command = List.of();
    private Image image;
    private List<Secret> secrets = List.of();
    private Map<String, Volume> volumes = Map.of();
    private Map<String, String> mounts = Map.of();
    private Double cpu;
    private Integer memoryMiB;
    private Duration timeout = Duration.ofSeconds(300);
    private Duration idleTimeout;
    private String workdir;
    private Map<String, String> env = Map.of();
    private Map<String, String> tags = Map.of();
    private String name;
    private String app = "sandboxes";
    private boolean blockNetwork;
    private List<Integer> ports = List.of();
    private List<Gpu> gpu = List.of();
    private String backend;

    private SandboxOptions() {
    }

    private SandboxOptions(SandboxOptions other) {
        this.command = other.command;
        this.image = other.image;
        this.secrets = other.secrets;
        this.volumes = other.volumes;
        this.mounts = other.mounts;
        this.cpu = other.cpu;
        this.memoryMiB = other.memoryMiB;
        this.timeout = other.timeout;
        this.idleTimeout = other.idleTimeout;
        this.workdir = other.workdir;
        this.env = other.env;
        this.tags = other.tags;
        this.name = other.name;
        this.app = other.app;
        this.blockNetwork = other.blockNetwork;
        this.ports = other.ports;
        this.gpu = other.gpu;
        this.backend = other.backend;
    }

    public static SandboxOptions defaults() {
        return new SandboxOptions();
    }

    /** Sets the sandbox's main process; with none, the sandbox runs {@code sleep} until its timeout. */
    public SandboxOptions command(String... words) {
        return command(Arrays.asList(words));
    }

    /** Sets the sandbox's main process from a list of words; an empty list means none. */
    public SandboxOptions command(List<String> words) {
        Objects.requireNonNull(words, "command");
        for (String word : words) {
            if (word == null) {
                throw new InvalidException("Invalid command " + words + ": it contains null; pass only non-null words.");
            }
        }
        SandboxOptions copy = new SandboxOptions(this);
        copy.command = List.copyOf(words);
        return copy;
    }

    /** Sets the container image; {@link Image#debianSlim()} by default. */
    public SandboxOptions image(Image value) {
        SandboxOptions copy = new SandboxOptions(this);
        copy.image = Objects.requireNonNull(value, "image");
        return copy;
    }

    /** Adds secrets whose variables every process in the sandbox receives in its environment. */
    public SandboxOptions secrets(Secret... values) {
        SandboxOptions copy = new SandboxOptions(this);
        List<Secret> merged = new ArrayList<>(secrets);
        for (Secret secret : values) {
            merged.add(Objects.requireNonNull(secret, "secret"));
        }
        copy.secrets = List.copyOf(merged);
        return copy;
    }

    /** Mounts a named volume at an absolute path in the sandbox. */
    public SandboxOptions volume(String path, Volume volume) {
        requireContainerPath("volume", path);
        SandboxOptions copy = new SandboxOptions(this);
        Map<String, Volume> merged = new LinkedHashMap<>(volumes);
        merged.put(path, Objects.requireNonNull(volume, "volume"));
        copy.volumes = Collections.unmodifiableMap(merged);
        return copy;
    }

    /** Mounts a folder of the daemon's machine (this machine for a local daemon) at an absolute path in the sandbox. */
    public SandboxOptions mount(Path hostFolder, String path) {
        requireContainerPath("mount", path);
        if (hostFolder == null || !hostFolder.isAbsolute()) {
            throw new InvalidException("mount: the host folder '" + hostFolder + "' must be an absolute path.");
        }
        SandboxOptions copy = new SandboxOptions(this);
        Map<String, String> merged = new LinkedHashMap<>(mounts);
        merged.put(path, hostFolder.normalize().toString());
        copy.mounts = Collections.unmodifiableMap(merged);
        return copy;
    }

    /** Sets the number of CPU cores the sandbox may use, for example 0.5 or 2; greater than 0 and at most 512. */
    public SandboxOptions cpu(double cores) {
        if (!(cores > 0 && cores <= 512)) {
            throw new InvalidException("Invalid cpu: " + cores + ". It must be greater than 0 and at most 512 cores.");
        }
        SandboxOptions copy = new SandboxOptions(this);
        copy.cpu = cores;
        return copy;
    }

    /** Sets the memory limit of the sandbox in MiB; at least 64. */
    public SandboxOptions memory(int mebibytes) {
        if (mebibytes < 64) {
            throw new InvalidException("Invalid memory: " + mebibytes + " MiB. It must be at least 64 MiB.");
        }
        SandboxOptions copy = new SandboxOptions(this);
        copy.memoryMiB = mebibytes;
        return copy;
    }

    /** Sets the sandbox's lifetime, from 1 second to 24 hours; past it the sandbox is killed with exit code 124. */
    public SandboxOptions timeout(Duration value) {
        requireTimeout("timeout", value);
        SandboxOptions copy = new SandboxOptions(this);
        copy.timeout = value;
        return copy;
    }

    /**
     * Sets how long the sandbox may stay idle, from 1 second to 24 hours: after that long with no
     * command running and no {@code exec} or input, the sandbox is killed with exit code 124.
     */
    public SandboxOptions idleTimeout(Duration value) {
        requireTimeout("idleTimeout", value);
        SandboxOptions copy = new SandboxOptions(this);
        copy.idleTimeout = value;
        return copy;
    }

    /** Sets the working folder of the main process and of commands, an absolute path in the container. */
    public SandboxOptions workdir(String path) {
        SandboxOptions copy = new SandboxOptions(this);
        copy.workdir = requireAbsolute("workdir", path);
        return copy;
    }

    /** Adds environment variables for every process in the sandbox. */
    public SandboxOptions env(Map<String, String> variables) {
        SandboxOptions copy = new SandboxOptions(this);
        copy.env = mergeEnv(env, variables);
        return copy;
    }

    /** Adds tags, which {@link Sandbox#list} filters by; keys are names, values any text. */
    public SandboxOptions tags(Map<String, String> values) {
        SandboxOptions copy = new SandboxOptions(this);
        Map<String, String> merged = new LinkedHashMap<>(tags);
        merged.putAll(checkTags(values));
        copy.tags = Collections.unmodifiableMap(merged);
        return copy;
    }

    /** Sets the sandbox's name, unique among the running sandboxes of its app. */
    public SandboxOptions name(String value) {
        requireName("sandbox name", value);
        SandboxOptions copy = new SandboxOptions(this);
        copy.name = value;
        return copy;
    }

    /** Sets the app the sandbox belongs to; {@code sandboxes} by default. */
    public SandboxOptions app(String value) {
        requireName("app name", value);
        SandboxOptions copy = new SandboxOptions(this);
        copy.app = value;
        return copy;
    }

    /** Cuts the sandbox off from every network; it then cannot publish ports. */
    public SandboxOptions blockNetwork(boolean value) {
        if (value && !ports.isEmpty()) {
            throw portsWithoutNetwork(ports);
        }
        SandboxOptions copy = new SandboxOptions(this);
        copy.blockNetwork = value;
        return copy;
    }

    /** Publishes TCP ports of the sandbox, from 1 to 65535, on the daemon's machine (127.0.0.1 for a local daemon). */
    public SandboxOptions ports(int... values) {
        Set<Integer> unique = new LinkedHashSet<>();
        for (int port : values) {
            if (port < 1 || port > 65535) {
                throw new InvalidException("Invalid port: " + port + ". It must be between 1 and 65535.");
            }
            if (!unique.add(port)) {
                throw new InvalidException("Invalid ports " + Arrays.toString(values) + ": port " + port
                        + " appears twice; list each port once.");
            }
        }
        List<Integer> list = List.copyOf(unique);
        if (blockNetwork && !list.isEmpty()) {
            throw portsWithoutNetwork(list);
        }
        SandboxOptions copy = new SandboxOptions(this);
        copy.ports = list;
        return copy;
    }

    /**
     * Gives the sandbox GPUs, in the specs that {@link FunctionOptions#gpu(String...)} takes, such as
     * {@code "A100"} or {@code "T4:2"}; on Docker through NVIDIA's container runtime.
     */
    public SandboxOptions gpu(String... specs) {
        return gpu(Arrays.asList(specs));
    }

    /** Gives the sandbox GPUs from a list of specs; an empty list means none. */
    public SandboxOptions gpu(List<String> specs) {
        SandboxOptions copy = new SandboxOptions(this);
        copy.gpu = Gpu.parseAll(specs);
        return copy;
    }

    /**
     * Chooses where the sandbox runs: {@code docker} (a container on the daemon that {@code DOCKER_HOST}
     * names) or {@code local} (a process group in a private folder of this machine, without isolation).
     * Unset, the {@code SKIFF_BACKEND} environment variable decides, and without it {@code docker} when
     * the {@code skiff-docker} jar is on the classpath, else {@code local}.
     */
    public SandboxOptions backend(String value) {
        if (value == null || !(value.equals("local") || value.equals("docker"))) {
            throw new InvalidException("Unknown sandbox backend '" + value + "': use local or docker.");
        }
        SandboxOptions copy = new SandboxOptions(this);
        copy.backend = value;
        return copy;
    }

    private static InvalidException portsWithoutNetwork(List<Integer> ports) {
        return new InvalidException("Invalid ports " + ports + " with blockNetwork: a sandbox without a network "
                + "cannot publish ports; remove the ports or the blockNetwork option.");
    }

    public List<String> command() {
        return command;
    }

    /** Returns the image, or null for the backend's default. */
    public Image image() {
        return image;
    }

    public List<Secret> secrets() {
        return secrets;
    }

    /** Returns the named volumes by mount path. */
    public Map<String, Volume> volumes() {
        return volumes;
    }

    /** Returns the host folders by mount path. */
    public Map<String, String> mounts() {
        return mounts;
    }

    /** Returns the CPU limit in cores, or null for none. */
    public Double cpu() {
        return cpu;
    }

    /** Returns the memory limit in MiB, or null for the backend's default. */
    public Integer memory() {
        return memoryMiB;
    }

    public Duration timeout() {
        return timeout;
    }

    /** Returns the idle timeout, or null for none. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** Returns the working folder, or null for the image's. */
    public String workdir() {
        return workdir;
    }

    public Map<String, String> env() {
        return env;
    }

    public Map<String, String> tags() {
        return tags;
    }

    /** Returns the sandbox's name, or null for none. */
    public String name() {
        return name;
    }

    public String app() {
        return app;
    }

    public boolean blockNetwork() {
        return blockNetwork;
    }

    public List<Integer> ports() {
        return ports;
    }

    public List<Gpu> gpu() {
        return gpu;
    }

    /** Returns the chosen backend, or null when {@code SKIFF_BACKEND} or the default decides. */
    public String backend() {
        return backend;
    }

    /** Returns the environment of the sandbox: {@link #env} followed by each secret's variables. */
    public Map<String, String> environment() {
        Map<String, String> all = new LinkedHashMap<>(env);
        for (Secret secret : secrets) {
            all.putAll(secret.values());
        }
        return all;
    }

    /** Checks tag keys and values, for {@link #tags} and {@link Sandbox#setTags}, and returns an ordered copy. */
    static Map<String, String> checkTags(Map<String, String> values) {
        Objects.requireNonNull(values, "tags");
        Map<String, String> checked = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            requireName("tag key", key);
            if (value == null) {
                throw new InvalidException("Invalid tag " + key + "=null: a tag value must not be null; use \"\" "
                        + "for an empty value.");
            }
            checked.put(key, value);
        });
        return checked;
    }

    static Map<String, String> mergeEnv(Map<String, String> current, Map<String, String> variables) {
        Map<String, String> merged = new LinkedHashMap<>(current);
        variables.forEach((key, value) -> {
            if (key == null || key.isEmpty() || key.contains("=") || value == null || key.indexOf('\0') >= 0
                    || value.indexOf('\0') >= 0) {
                throw new InvalidException("Invalid environment variable " + key + "=" + value
                        + ": the name must be non-empty without '=' and the value non-null, neither with a NUL character.");
            }
            merged.put(key, value);
        });
        return Collections.unmodifiableMap(merged);
    }

    static void requireTimeout(String option, Duration value) {
        Objects.requireNonNull(value, option);
        if (value.compareTo(Duration.ofSeconds(1)) < 0 || value.compareTo(MAX_TIMEOUT) > 0) {
            throw new InvalidException("Invalid " + option + ": " + value.toMillis()
                    + " ms. It must be between 1 second and 24 hours.");
        }
    }

    /** Checks that {@code path} is absolute and returns it normalized, so that {@code ..} cannot climb above {@code /}. */
    static String requireAbsolute(String option, String path) {
        if (path == null || !path.startsWith("/") || path.indexOf('\0') >= 0) {
            throw new InvalidException("Invalid " + option + " '" + path + "': it must be an absolute path in the "
                    + "container, such as /tmp.");
        }
        return normalize(path);
    }

    /** Returns an absolute path without {@code .}, {@code ..} or repeated {@code /}; {@code ..} at the root stays there. */
    static String normalize(String path) {
        java.util.Deque<String> parts = new java.util.ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(part);
            }
        }
        return "/" + String.join("/", parts);
    }

    private static void requireContainerPath(String option, String path) {
        if (path == null || !path.startsWith("/") || path.equals("/")) {
            throw new InvalidException(option + ": '" + path + "' must be an absolute path in the container, "
                    + "such as /data.");
        }
    }

    private static void requireName(String kind, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new InvalidException("Invalid " + kind + " '" + value + "': use 1 to 63 letters, digits, '_', '.' "
                    + "or '-', starting with a letter or digit.");
        }
    }

    @Override
    public String toString() {
        return "SandboxOptions[command=" + command + ", app=" + app + (name == null ? "" : ", name=" + name)
                + ", timeout=" + timeout.toMillis() + "ms"
                + (idleTimeout == null ? "" : ", idleTimeout=" + idleTimeout.toMillis() + "ms")
                + ", cpu=" + cpu + ", memoryMiB=" + memoryMiB + (gpu.isEmpty() ? "" : ", gpu=" + gpu)
                + (backend == null ? "" : ", backend=" + backend) + ", env=" + env.keySet() + ", secrets=" + secrets
                + (image == null ? "" : ", image=" + image) + (workdir == null ? "" : ", workdir=" + workdir)
                + (volumes.isEmpty() ? "" : ", volumes=" + volumes) + (mounts.isEmpty() ? "" : ", mounts=" + mounts)
                + ", tags=" + tags + (blockNetwork ? ", blockNetwork" : "") + (ports.isEmpty() ? "" : ", ports=" + ports)
                + "]";
    }
}
