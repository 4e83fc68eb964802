package dev.skiff.dsl;

import dev.skiff.FunctionOptions;
import dev.skiff.InvalidException;
import dev.skiff.Retries;
import dev.skiff.Secret;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns Groovy named arguments into {@link FunctionOptions} and {@link Retries}. Durations are
 * numbers of seconds (fractions allowed) or {@link Duration}s; memory is in MiB.
 */
public final class NamedOptions {
    /** The option names that {@link #functionOptions} accepts, in documentation order. */
    public static final List<String> FUNCTION_OPTIONS = List.of("timeout", "retries", "maxContainers",
            "minContainers", "bufferContainers", "scaledownWindow", "concurrentInputs", "cpu", "memory", "gpu", "env",
            "secrets", "backend", "image", "volumes", "mounts");
    private static final List<String> RETRIES_OPTIONS = List.of("maxRetries", "backoffCoefficient", "initialDelay",
            "maxDelay");

    private NamedOptions() {
    }

    /** Returns the options of {@code owner} (a description such as "function fib") set from {@code named}. */
    public static FunctionOptions functionOptions(Map<String, ?> named, String owner) {
        FunctionOptions options = FunctionOptions.defaults();
        for (Map.Entry<String, ?> entry : named.entrySet()) {
            String key = String.valueOf(entry.getKey());
            Object value = entry.getValue();
            options = switch (key) {
                case "timeout" -> options.timeout(duration(key, value));
                case "retries" -> options.retries(retries(key, value));
                case "maxContainers" -> options.maxContainers(integer(key, value));
                case "minContainers" -> options.minContainers(integer(key, value));
                case "bufferContainers" -> options.bufferContainers(integer(key, value));
                case "scaledownWindow" -> options.scaledownWindow(duration(key, value));
                case "concurrentInputs" -> options.concurrentInputs(integer(key, value));
                case "cpu" -> options.cpu(number(key, value).doubleValue());
                case "memory" -> options.memory(integer(key, value));
                case "gpu" -> options.gpu(strings(key, value));
                case "env" -> options.env(environment(key, value));
                case "secrets" -> options.secrets(secrets(key, value));
                case "backend" -> options.backend(String.valueOf(value));
                case "image" -> options.image(image(key, value));
                case "volumes" -> volumes(options, key, value);
                case "mounts" -> mounts(options, key, value);
                default -> throw new InvalidException("Unknown option '" + key + "' for " + owner
                        + "; the options are " + String.join(", ", FUNCTION_OPTIONS) + ".");
            };
        }
        return options;
    }

    /** The named arguments of {@code Sandbox.create}, as {@link dev.skiff.SandboxOptions} has them. */
    public static final List<String> SANDBOX_OPTIONS = List.of("command", "image", "secrets", "volumes", "mounts",
            "cpu", "memory", "gpu", "timeout", "idleTimeout", "workdir", "env", "tags", "name", "app", "blockNetwork",
            "ports", "backend");

    /** Returns sandbox options set from {@code named}, such as {@code image: Image.debianSlim(), timeout: 600}. */
    public static dev.skiff.SandboxOptions sandboxOptions(Map<String, ?> named) {
        dev.skiff.SandboxOptions options = dev.skiff.SandboxOptions.defaults();
        for (Map.Entry<String, ?> entry : named.entrySet()) {
            String key = String.valueOf(entry.getKey());
            Object value = entry.getValue();
            options = switch (key) {
                case "command" -> options.command(strings(key, value));
                case "image" -> options.image(image(key, value));
                case "secrets" -> options.secrets(secrets(key, value));
                case "volumes" -> {
                    FunctionOptions volumes = volumes(FunctionOptions.defaults(), key, value);
                    dev.skiff.SandboxOptions result = options;
                    for (Map.Entry<String, dev.skiff.Volume> volume : volumes.volumes().entrySet()) {
                        result = result.volume(volume.getKey(), volume.getValue());
                    }
                    yield result;
                }
                case "mounts" -> {
                    FunctionOptions mounts = mounts(FunctionOptions.defaults(), key, value);
                    dev.skiff.SandboxOptions result = options;
                    for (Map.Entry<String, String> mount : mounts.mounts().entrySet()) {
                        result = result.mount(java.nio.file.Path.of(mount.getValue()), mount.getKey());
                    }
                    yield result;
                }
                case "cpu" -> options.cpu(number(key, value).doubleValue());
                case "memory" -> options.memory(integer(key, value));
                case "gpu" -> options.gpu(strings(key, value));
                case "backend" -> options.backend(String.valueOf(value));
                case "timeout" -> options.timeout(duration(key, value));
                case "idleTimeout" -> options.idleTimeout(duration(key, value));
                case "workdir" -> options.workdir(String.valueOf(value));
                case "env" -> options.env(environment(key, value));
                case "tags" -> options.tags(environment(key, value));
                case "name" -> options.name(String.valueOf(value));
                case "app" -> options.app(String.valueOf(value));
                case "blockNetwork" -> options.blockNetwork(Boolean.TRUE.equals(value));
                case "ports" -> options.ports(ports(key, value));
                default -> throw new InvalidException("Unknown option '" + key + "' for Sandbox.create; the options are "
                        + String.join(", ", SANDBOX_OPTIONS) + ".");
            };
        }
        return options;
    }

    /** The named arguments of {@code Sandbox.exec}, as {@link dev.skiff.ExecOptions} has them. */
    public static final List<String> EXEC_OPTIONS = List.of("workdir", "env", "secrets", "timeout");

    /** Returns exec options set from {@code named}, such as {@code workdir: '/srv', timeout: 30}. */
    public static dev.skiff.ExecOptions execOptions(Map<String, ?> named) {
        dev.skiff.ExecOptions options = dev.skiff.ExecOptions.defaults();
        for (Map.Entry<String, ?> entry : named.entrySet()) {
            String key = String.valueOf(entry.getKey());
            Object value = entry.getValue();
            options = switch (key) {
                case "workdir" -> options.workdir(String.valueOf(value));
                case "env" -> options.env(environment(key, value));
                case "secrets" -> options.secrets(secrets(key, value));
                case "timeout" -> options.timeout(duration(key, value));
                default -> throw new InvalidException("Unknown option '" + key + "' for exec; the options are "
                        + String.join(", ", EXEC_OPTIONS) + ".");
            };
        }
        return options;
    }

    private static int[] ports(String key, Object value) {
        List<?> items = value instanceof Collection<?> collection ? new ArrayList<>(collection) : List.of(value);
        int[] ports = new int[items.size()];
        for (int i = 0; i < ports.length; i++) {
            Object item = items.get(i);
            if (!(item instanceof Integer || item instanceof Long || item instanceof Short)) {
                throw invalid(key, value, "a port number or a list of port numbers");
            }
            long port = ((Number) item).longValue();
            if (port < Integer.MIN_VALUE || port > Integer.MAX_VALUE) {
                throw invalid(key, value, "port numbers from 1 to 65535");
            }
            ports[i] = (int) port;
        }
        return ports;
    }

    private static dev.skiff.Image image(String key, Object value) {
        if (value instanceof dev.skiff.Image image) {
            return image;
        }
        if (value instanceof CharSequence reference) {
            return dev.skiff.Image.fromRegistry(reference.toString());
        }
        throw new InvalidException("Invalid " + key + ": " + value + "; give an Image, such as Image.debianSlim(), "
                + "or an image name such as 'eclipse-temurin:17-jre'.");
    }

    /** Adds {@code volumes: ['/data': Volume.fromName('cache')]}, or a volume name instead of a Volume. */
    private static FunctionOptions volumes(FunctionOptions options, String key, Object value) {
        if (!(value instanceof Map<?, ?> byPath)) {
            throw new InvalidException("Invalid " + key + ": " + value + "; give a map of paths to volumes, such as "
                    + "['/data': Volume.fromName('cache')].");
        }
        FunctionOptions result = options;
        for (Map.Entry<?, ?> entry : byPath.entrySet()) {
            Object volume = entry.getValue();
            if (!(volume instanceof dev.skiff.Volume) && !(volume instanceof CharSequence)) {
                throw invalid(key + " at " + entry.getKey(), volume, "a Volume or a volume name");
            }
            result = result.volume(String.valueOf(entry.getKey()), volume instanceof dev.skiff.Volume v ? v
                    : dev.skiff.Volume.fromName(volume.toString()));
        }
        return result;
    }

    /** Adds {@code mounts: ['/data': '/srv/data']}: container paths to folders of the daemon's machine. */
    private static FunctionOptions mounts(FunctionOptions options, String key, Object value) {
        if (!(value instanceof Map<?, ?> byPath)) {
            throw new InvalidException("Invalid " + key + ": " + value + "; give a map of container paths to host "
                    + "folders, such as ['/data': '/srv/data'].");
        }
        FunctionOptions result = options;
        for (Map.Entry<?, ?> entry : byPath.entrySet()) {
            result = result.mount(java.nio.file.Path.of(String.valueOf(entry.getValue())), String.valueOf(entry.getKey()));
        }
        return result;
    }

    /**
     * Returns the retry policy named by {@code named}: {@code maxRetries} (required),
     * {@code backoffCoefficient} (default 2.0), {@code initialDelay} (default 1 s) and
     * {@code maxDelay} (default 60 s), as Modal's {@code Retries} has them.
     */
    public static Retries retries(Map<String, ?> named) {
        Set<String> unknown = new java.util.TreeSet<>();
        named.keySet().forEach(key -> {
            if (!RETRIES_OPTIONS.contains(String.valueOf(key))) {
                unknown.add(String.valueOf(key));
            }
        });
        if (!unknown.isEmpty()) {
            throw new InvalidException("Unknown Retries option " + unknown + "; the options are "
                    + String.join(", ", RETRIES_OPTIONS) + ".");
        }
        if (!named.containsKey("maxRetries")) {
            throw new InvalidException("Retries needs maxRetries, for example Retries.of(maxRetries: 3).");
        }
        Retries policy = Retries.exponential(integer("maxRetries", named.get("maxRetries")));
        if (named.containsKey("backoffCoefficient")) {
            policy = policy.withBackoffCoefficient(number("backoffCoefficient", named.get("backoffCoefficient"))
                    .doubleValue());
        }
        if (named.containsKey("initialDelay")) {
            policy = policy.withInitialDelay(duration("initialDelay", named.get("initialDelay")));
        }
        if (named.containsKey("maxDelay")) {
            policy = policy.withMaxDelay(duration("maxDelay", named.get("maxDelay")));
        }
        return policy;
    }

    private static Retries retries(String key, Object value) {
        if (value instanceof Retries policy) {
            return policy;
        }
        if (value instanceof Map<?, ?> map) {
            return retries(stringKeys(key, map));
        }
        return Retries.of(integer(key, value));
    }

    private static Duration duration(String key, Object value) {
        if (value instanceof Duration duration) {
            return duration;
        }
        Number number = number(key, value);
        if ((number instanceof Double || number instanceof Float) && !Double.isFinite(number.doubleValue())) {
            throw invalid(key, value, "a number of seconds");
        }
        BigDecimal seconds = new BigDecimal(number.toString());
        if (seconds.abs().compareTo(BigDecimal.valueOf(9_000_000_000L)) > 0) {
            // Beyond what a Duration in nanoseconds holds; every Skiff timeout is far shorter.
            throw invalid(key, value, "a number of seconds up to 24 hours (86400)");
        }
        return Duration.ofNanos(seconds.movePointRight(9).longValue());
    }

    private static Number number(String key, Object value) {
        if (value instanceof Number number) {
            return number;
        }
        throw invalid(key, value, "a number");
    }

    private static int integer(String key, Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof java.math.BigInteger) {
            long result = ((Number) value).longValue();
            if (result >= Integer.MIN_VALUE && result <= Integer.MAX_VALUE) {
                return (int) result;
            }
        }
        throw invalid(key, value, "a whole number");
    }

    private static List<String> strings(String key, Object value) {
        if (value instanceof CharSequence text) {
            return List.of(text.toString());
        }
        if (value instanceof Collection<?> items) {
            List<String> result = new ArrayList<>();
            for (Object item : items) {
                if (!(item instanceof CharSequence)) {
                    throw invalid(key, value, "a string or a list of strings");
                }
                result.add(item.toString());
            }
            return result;
        }
        throw invalid(key, value, "a string or a list of strings");
    }

    private static Map<String, String> environment(String key, Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw invalid(key, value, "a map of variable names to values");
        }
        Map<String, String> result = new LinkedHashMap<>();
        map.forEach((name, text) -> result.put(String.valueOf(name), text == null ? null : String.valueOf(text)));
        return result;
    }

    private static Secret[] secrets(String key, Object value) {
        if (value instanceof Secret secret) {
            return new Secret[] {secret};
        }
        if (value instanceof Collection<?> items && items.stream().allMatch(Secret.class::isInstance)) {
            return items.toArray(Secret[]::new);
        }
        throw invalid(key, value, "a Secret or a list of Secrets");
    }

    private static Map<String, ?> stringKeys(String key, Map<?, ?> map) {
        Map<String, Object> result = new LinkedHashMap<>();
        map.forEach((name, item) -> result.put(String.valueOf(name), item));
        return result;
    }

    private static InvalidException invalid(String key, Object value, String expected) {
        String shown = value instanceof CharSequence ? "'" + value + "'" : String.valueOf(value);
        String type = value == null ? "" : " (" + value.getClass().getSimpleName() + ")";
        return new InvalidException("Invalid " + key + ": " + shown + type + "; expected " + expected + ".");
    }
}
