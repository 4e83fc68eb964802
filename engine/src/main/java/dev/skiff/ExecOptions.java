package dev.skiff;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Working folder, environment and time limit of one {@link Sandbox#exec} command. Immutable: each
 * setter returns a changed copy. By default the command runs in the sandbox's working folder with
 * the sandbox's environment and no time limit.
 */
public final class ExecOptions {
    private String workdir;
    private Map<String, String> env = Map.of();
    private List<Secret> secrets = List.of();
    private Duration timeout;

    private ExecOptions() {
    }

    private ExecOptions(ExecOptions other) {
        this.workdir = other.workdir;
        this.env = other.env;
        this.secrets = other.secrets;
        this.timeout = other.timeout;
    }

    public static ExecOptions defaults() {
        return new ExecOptions();
    }

    /** Sets the working folder of the command, an absolute path in the container. */
    public ExecOptions workdir(String path) {
        String normalized = SandboxOptions.requireAbsolute("workdir", path);
        ExecOptions copy = new ExecOptions(this);
        copy.workdir = normalized;
        return copy;
    }

    /** Adds environment variables for the command, on top of the sandbox's. */
    public ExecOptions env(Map<String, String> variables) {
        ExecOptions copy = new ExecOptions(this);
        copy.env = SandboxOptions.mergeEnv(env, variables);
        return copy;
    }

    /** Adds secrets whose variables the command receives in its environment. */
    public ExecOptions secrets(Secret... values) {
        ExecOptions copy = new ExecOptions(this);
        List<Secret> merged = new ArrayList<>(secrets);
        for (Secret secret : values) {
            merged.add(Objects.requireNonNull(secret, "secret"));
        }
        copy.secrets = List.copyOf(merged);
        return copy;
    }

    /** Sets the wall-clock limit of the command, from 1 second to 24 hours; past it the process is killed. */
    public ExecOptions timeout(Duration value) {
        SandboxOptions.requireTimeout("timeout", value);
        ExecOptions copy = new ExecOptions(this);
        copy.timeout = value;
        return copy;
    }

    /** Returns the working folder, or null for the sandbox's. */
    public String workdir() {
        return workdir;
    }

    public Map<String, String> env() {
        return env;
    }

    public List<Secret> secrets() {
        return secrets;
    }

    /** Returns the time limit, or null for none. */
    public Duration timeout() {
        return timeout;
    }

    /** Returns the environment variables of the command: {@link #env} followed by each secret's variables. */
    public Map<String, String> environment() {
        Map<String, String> all = new LinkedHashMap<>(env);
        for (Secret secret : secrets) {
            all.putAll(secret.values());
        }
        return all;
    }
}
