package dev.skiff;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Resources, scaling and failure handling of a function or class. Immutable: each setter returns a
 * changed copy, so one instance can serve as a template.
 *
 * <p>Defaults: timeout 300 s per attempt, no retries, at most as many workers as this machine has
 * processors, no minimum or buffer workers, a 60 s scale-down window, one input at a time per worker,
 * no GPU, no limits on cpu or memory.
 */
public final class FunctionOptions implements Serializable {
    static final Duration MAX_TIMEOUT = Duration.ofHours(24);

    private Duration timeout = Duration.ofSeconds(300);
    private Retries retries = Retries.of(0);
    private Integer maxContainers;
    private int minContainers;
    private int bufferContainers;
    private Duration scaledownWindow = Duration.ofSeconds(60);
    private int concurrentInputs = 1;
    private Double cpu;
    private Integer memoryMiB;
    private List<Gpu> gpu = List.of();
    private Map<String, String> env = Map.of();
    private List<Secret> secrets = List.of();
    private String backend;
    private Image image;
    private Map<String, Volume> volumes = Map.of();
    private Map<String, String> mounts = Map.of();

    private FunctionOptions() {
    }

    private FunctionOptions(FunctionOptions other) {
        this.timeout = other.timeout;
        this.retries = other.retries;
        this.maxContainers = other.maxContainers;
        this.minContainers = other.minContainers;
        this.bufferContainers = other.bufferContainers;
        this.scaledownWindow = other.scaledownWindow;
        this.concurrentInputs = other.concurrentInputs;
        this.cpu = other.cpu;
        this.memoryMiB = other.memoryMiB;
        this.gpu = other.gpu;
        this.env = other.env;
        this.secrets = other.secrets;
        this.backend = other.backend;
        this.image = other.image;
        this.volumes = other.volumes;
        this.mounts = other.mounts;
    }

    public static FunctionOptions defaults() {
        return new FunctionOptions();
    }

    /** Sets the wall-clock limit of each attempt, from 1 second to 24 hours. */
    public FunctionOptions timeout(Duration value) {
        Objects.requireNonNull(value, "timeout");
        if (value.compareTo(Duration.ofSeconds(1)) < 0 || value.compareTo(MAX_TIMEOUT) > 0) {
            throw new InvalidException("Invalid timeout: " + value.toMillis()
                    + " ms. It must be between 1 second and 24 hours.");
        }
        FunctionOptions copy = new FunctionOptions(this);
        copy.timeout = value;
        return copy;
    }

    /** Sets the retry policy; see {@link Retries}. */
    public FunctionOptions retries(Retries value) {
        FunctionOptions copy = new FunctionOptions(this);
        copy.retries = Objects.requireNonNull(value, "retries");
        return copy;
    }

    /** Sets {@code count} retries with a fixed one-second delay, as Modal's integer form does. */
    public FunctionOptions retries(int count) {
        return retries(Retries.of(count));
    }

    /** Sets the maximum number of workers running this function at once, at least 1. */
    public FunctionOptions maxContainers(int value) {
        requireAtLeast("maxContainers", value, 1);
        FunctionOptions copy = new FunctionOptions(this);
        copy.maxContainers = value;
        return copy;
    }

    /** Sets the number of workers kept warm even when idle. */
    public FunctionOptions minContainers(int value) {
        requireAtLeast("minContainers", value, 0);
        FunctionOptions copy = new FunctionOptions(this);
        copy.minContainers = value;
        return copy;
    }

    /** Sets the number of idle workers kept ready beyond current demand while the function is busy. */
    public FunctionOptions bufferContainers(int value) {
        requireAtLeast("bufferContainers", value, 0);
        FunctionOptions copy = new FunctionOptions(this);
        copy.bufferContainers = value;
        return copy;
    }

    /** Sets how long a worker may stay idle before it is stopped, from 1 millisecond to 1 hour. */
    public FunctionOptions scaledownWindow(Duration value) {
        Objects.requireNonNull(value, "scaledownWindow");
        if (value.toMillis() < 1 || value.compareTo(Duration.ofHours(1)) > 0) {
            throw new InvalidException("Invalid scaledownWindow: " + value.toMillis()
                    + " ms. It must be between 1 millisecond and 1 hour.");
        }
        FunctionOptions copy = new FunctionOptions(this);
        copy.scaledownWindow = value;
        return copy;
    }

    /** Sets how many inputs one worker runs at the same time, on separate threads; 1 to 1000. */
    public FunctionOptions concurrentInputs(int value) {
        if (value < 1 || value > 1000) {
            throw new InvalidException("Invalid concurrentInputs: " + value + ". It must be between 1 and 1000.");
        }
        FunctionOptions copy = new FunctionOptions(this);
        copy.concurrentInputs = value;
        return copy;
    }

    /** Sets the number of CPU cores a worker may use, for example 0.5 or 2; greater than 0 and at most 512. */
    public FunctionOptions cpu(double cores) {
        if (!(cores > 0 && cores <= 512)) {
            throw new InvalidException("Invalid cpu: " + cores + ". It must be greater than 0 and at most 512 cores.");
        }
        FunctionOptions copy = new FunctionOptions(this);
        copy.cpu = cores;
        return copy;
    }

    /** Sets the memory limit of a worker in MiB; at least 64. */
    public FunctionOptions memory(int mebibytes) {
        if (mebibytes < 64) {
            throw new InvalidException("Invalid memory: " + mebibytes + " MiB. It must be at least 64 MiB.");
        }
        FunctionOptions copy = new FunctionOptions(this);
        copy.memoryMiB = mebibytes;
        return copy;
    }

    /** Sets the GPU request, for example {@code "A100-80GB:2"}; several specs form a preference order. */
    public FunctionOptions gpu(String... specs) {
        FunctionOptions copy = new FunctionOptions(this);
        copy.gpu = Gpu.parseAll(Arrays.asList(specs));
        return copy;
    }

    /** Sets the GPU request from a preference-ordered list of specs. */
    public FunctionOptions gpu(List<String> specs) {
        FunctionOptions copy = new FunctionOptions(this);
        copy.gpu = Gpu.parseAll(specs);
        return copy;
    }

    /** Adds environment variables for the workers. */
    public FunctionOptions env(Map<String, String> variables) {
        FunctionOptions copy = new FunctionOptions(this);
        Map<String, String> merged = new LinkedHashMap<>(env);
        variables.forEach((key, value) -> {
            if (key == null || key.isEmpty() || key.contains("=") || value == null) {
                throw new InvalidException("Invalid environment variable " + key + "=" + value
                        + ": the name must be non-empty without '=' and the value non-null.");
            }
            merged.put(key, value);
        });
        copy.env = Map.copyOf(merged);
        return copy;
    }

    /** Adds secrets whose variables the workers receive in their environment. */
    public FunctionOptions secrets(Secret... values) {
        FunctionOptions copy = new FunctionOptions(this);
        List<Secret> merged = new ArrayList<>(secrets);
        for (Secret secret : values) {
            merged.add(Objects.requireNonNull(secret, "secret"));
        }
        copy.secrets = List.copyOf(merged);
        return copy;
    }

    /**
     * Chooses where workers run: {@code local} (worker processes on this machine) or {@code docker}
     * (containers on the daemon that {@code DOCKER_HOST} names). Unset, the {@code SKIFF_BACKEND}
     * environment variable decides, and without it the local backend.
     */
    public FunctionOptions backend(String name) {
        if (name == null || !(name.equals("local") || name.equals("docker"))) {
            throw new InvalidException("Unknown backend '" + name + "': use local or docker.");
        }
        FunctionOptions copy = new FunctionOptions(this);
        copy.backend = name;
        return copy;
    }

    /** Sets the container image of the workers, on the Docker backend; {@link Image#debianSlim()} by default. */
    public FunctionOptions image(Image value) {
        FunctionOptions copy = new FunctionOptions(this);
        copy.image = Objects.requireNonNull(value, "image");
        return copy;
    }

    /** Mounts a named volume at an absolute path in each worker's container. */
    public FunctionOptions volume(String path, Volume volume) {
        requireContainerPath("volume", path);
        FunctionOptions copy = new FunctionOptions(this);
        Map<String, Volume> merged = new LinkedHashMap<>(volumes);
        merged.put(path, Objects.requireNonNull(volume, "volume"));
        copy.volumes = java.util.Collections.unmodifiableMap(merged);
        return copy;
    }

    /**
     * Mounts a folder of the daemon's machine (this machine for a local daemon) at an absolute path in
     * each worker's container.
     */
    public FunctionOptions mount(java.nio.file.Path hostFolder, String path) {
        requireContainerPath("mount", path);
        if (hostFolder == null || !hostFolder.isAbsolute()) {
            throw new InvalidException("mount: the host folder '" + hostFolder + "' must be an absolute path.");
        }
        FunctionOptions copy = new FunctionOptions(this);
        Map<String, String> merged = new LinkedHashMap<>(mounts);
        merged.put(path, hostFolder.normalize().toString());
        copy.mounts = java.util.Collections.unmodifiableMap(merged);
        return copy;
    }

    private static void requireContainerPath(String option, String path) {
        if (path == null || !path.startsWith("/")) {
            throw new InvalidException(option + ": '" + path + "' must be an absolute path in the container, such as /data.");
        }
        if (path.equals("/")) {
            throw new InvalidException(option + ": the container's root folder '/' cannot be a mount point; mount at a "
                    + "folder below it, such as /data.");
        }
    }

    /** Returns the chosen backend name, or null when {@code SKIFF_BACKEND} or the default decides. */
    public String backend() {
        return backend;
    }

    /**
     * Returns the backend that runs the workers: the chosen one, else {@code SKIFF_BACKEND}, else {@code local}.
     *
     * @throws InvalidException when {@code SKIFF_BACKEND} names no backend
     */
    public String effectiveBackend() {
        if (backend != null) {
            return backend;
        }
        String fromEnvironment = System.getenv("SKIFF_BACKEND");
        if (fromEnvironment == null || fromEnvironment.isBlank()) {
            return "local";
        }
        String name = fromEnvironment.trim();
        if (!name.equals("local") && !name.equals("docker")) {
            throw new InvalidException("Unknown backend '" + name + "' in SKIFF_BACKEND: use local or docker.");
        }
        return name;
    }

    /** Returns the image, or null for the backend's default. */
    public Image image() {
        return image;
    }

    /** Returns the named volumes by mount path. */
    public Map<String, Volume> volumes() {
        return volumes;
    }

    /** Returns the host folders by mount path. */
    public Map<String, String> mounts() {
        return mounts;
    }

    public Duration timeout() {
        return timeout;
    }

    public Retries retries() {
        return retries;
    }

    /** Returns the configured maximum, or {@code availableProcessors} when none was set (at least 2). */
    public int maxContainers() {
        return maxContainers != null ? maxContainers : Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    public int minContainers() {
        return minContainers;
    }

    public int bufferContainers() {
        return bufferContainers;
    }

    public Duration scaledownWindow() {
        return scaledownWindow;
    }

    public int concurrentInputs() {
        return concurrentInputs;
    }

    /** Returns the CPU limit in cores, or null for none. */
    public Double cpu() {
        return cpu;
    }

    /** Returns the memory limit in MiB, or null for none. */
    public Integer memory() {
        return memoryMiB;
    }

    public List<Gpu> gpu() {
        return gpu;
    }

    public Map<String, String> env() {
        return env;
    }

    public List<Secret> secrets() {
        return secrets;
    }

    private static void requireAtLeast(String name, int value, int minimum) {
        if (value < minimum) {
            throw new InvalidException("Invalid " + name + ": " + value + ". It must be at least " + minimum + ".");
        }
    }

    @Override
    public String toString() {
        return "FunctionOptions[timeout=" + timeout.toMillis() + "ms, retries=" + retries + ", maxContainers="
                + maxContainers() + ", minContainers=" + minContainers + ", bufferContainers=" + bufferContainers
                + ", scaledownWindow=" + scaledownWindow.toMillis() + "ms, concurrentInputs=" + concurrentInputs
                + ", cpu=" + cpu + ", memoryMiB=" + memoryMiB + ", gpu=" + gpu + ", env=" + env.keySet()
                + ", secrets=" + secrets + (backend == null ? "" : ", backend=" + backend)
                + (image == null ? "" : ", image=" + image) + (volumes.isEmpty() ? "" : ", volumes=" + volumes)
                + (mounts.isEmpty() ? "" : ", mounts=" + mounts) + "]";
    }
}
