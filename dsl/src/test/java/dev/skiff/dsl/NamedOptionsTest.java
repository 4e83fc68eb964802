package dev.skiff.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.FunctionOptions;
import dev.skiff.Gpu;
import dev.skiff.InvalidException;
import dev.skiff.Retries;
import dev.skiff.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Groovy named arguments to function options and retry policies. */
class NamedOptionsTest {
    @Test
    void everyOptionIsApplied() {
        Secret secret = Secret.fromMap("api", Map.of("TOKEN", "x"));
        FunctionOptions options = NamedOptions.functionOptions(Map.ofEntries(Map.entry("timeout", 90),
                Map.entry("retries", 2), Map.entry("maxContainers", 3), Map.entry("minContainers", 1),
                Map.entry("bufferContainers", 1), Map.entry("scaledownWindow", new java.math.BigDecimal("2.5")),
                Map.entry("concurrentInputs", 4), Map.entry("cpu", 0.5), Map.entry("memory", 512),
                Map.entry("gpu", List.of("H100", "A100-80GB:2")), Map.entry("env", Map.of("MODE", 1)),
                Map.entry("secrets", List.of(secret))), "function f");

        assertThat(options.timeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(options.retries()).isEqualTo(Retries.of(2));
        assertThat(options.maxContainers()).isEqualTo(3);
        assertThat(options.minContainers()).isEqualTo(1);
        assertThat(options.bufferContainers()).isEqualTo(1);
        assertThat(options.scaledownWindow()).isEqualTo(Duration.ofMillis(2500));
        assertThat(options.concurrentInputs()).isEqualTo(4);
        assertThat(options.cpu()).isEqualTo(0.5);
        assertThat(options.memory()).isEqualTo(512);
        assertThat(options.gpu()).extracting(Gpu::toString).hasSize(2);
        assertThat(options.env()).containsEntry("MODE", "1");
        assertThat(options.secrets()).containsExactly(secret);
    }

    @Test
    void timeoutTakesDuration() {
        FunctionOptions options = NamedOptions.functionOptions(Map.of("timeout", Duration.ofMinutes(2)), "f");

        assertThat(options.timeout()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void retriesFromNamedArguments() {
        Retries policy = NamedOptions.retries(Map.of("maxRetries", 4, "backoffCoefficient", 3, "initialDelay", 0.5,
                "maxDelay", 10));

        assertThat(policy.maxRetries()).isEqualTo(4);
        assertThat(policy.backoffCoefficient()).isEqualTo(3.0);
        assertThat(policy.initialDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(policy.maxDelay()).isEqualTo(Duration.ofSeconds(10));
        assertThat(NamedOptions.retries(Map.of("maxRetries", 1))).isEqualTo(Retries.exponential(1));
    }

    @Test
    void unknownOptionNamesTheValidOnes() {
        assertThatThrownBy(() -> NamedOptions.functionOptions(Map.of("timout", 5), "function f"))
                .isInstanceOf(InvalidException.class)
                .hasMessage("Unknown option 'timout' for function f; the options are timeout, retries, maxContainers, "
                        + "minContainers, bufferContainers, scaledownWindow, concurrentInputs, cpu, memory, gpu, env, "
                        + "secrets, backend, image, volumes, mounts.");
    }

    @Test
    void wrongTypesAreRejected() {
        assertThatThrownBy(() -> NamedOptions.functionOptions(Map.of("maxContainers", 2.5), "f"))
                .hasMessage("Invalid maxContainers: 2.5 (Double); expected a whole number.");
        assertThatThrownBy(() -> NamedOptions.functionOptions(Map.of("gpu", 1), "f"))
                .hasMessage("Invalid gpu: 1 (Integer); expected a string or a list of strings.");
        assertThatThrownBy(() -> NamedOptions.functionOptions(Map.of("secrets", "api"), "f"))
                .hasMessage("Invalid secrets: 'api' (String); expected a Secret or a list of Secrets.");
        assertThatThrownBy(() -> NamedOptions.retries(Map.of("backoffCoefficient", 2)))
                .hasMessage("Retries needs maxRetries, for example Retries.of(maxRetries: 3).");
        assertThatThrownBy(() -> NamedOptions.retries(Map.of("maxRetries", 2, "delay", 1)))
                .hasMessage("Unknown Retries option [delay]; the options are maxRetries, backoffCoefficient, "
                        + "initialDelay, maxDelay.");
    }

    @Test
    void engineLimitsStillApply() {
        assertThatThrownBy(() -> NamedOptions.functionOptions(Map.of("timeout", 0.5), "f"))
                .isInstanceOf(InvalidException.class).hasMessageStartingWith("Invalid timeout: 500 ms.");
    }

    @Test
    void sandboxOptionsFromNamedArguments() {
        var options = NamedOptions.sandboxOptions(Map.of("timeout", 600, "workdir", "/work", "ports", List.of(8080, 9090),
                "tags", Map.of("team", "ml"), "name", "notebook"));
        assertThat(options.timeout()).isEqualTo(Duration.ofSeconds(600));
        assertThat(options.workdir()).isEqualTo("/work");
        assertThat(options.ports()).containsExactly(8080, 9090);
        assertThat(options.tags()).isEqualTo(Map.of("team", "ml"));
        assertThat(options.name()).isEqualTo("notebook");
        assertThatThrownBy(() -> NamedOptions.sandboxOptions(Map.of("timout", 5)))
                .isInstanceOf(InvalidException.class)
                .hasMessage("Unknown option 'timout' for Sandbox.create; the options are command, image, secrets, "
                        + "volumes, mounts, cpu, memory, gpu, timeout, idleTimeout, workdir, env, tags, name, app, "
                        + "blockNetwork, ports, backend.");
        assertThatThrownBy(() -> NamedOptions.functionOptions(Map.of("volumes", Map.of("/data", 42)), "function f"))
                .isInstanceOf(InvalidException.class)
                .hasMessage("Invalid volumes at /data: 42 (Integer); expected a Volume or a volume name.");
        assertThatThrownBy(() -> NamedOptions.sandboxOptions(Map.of("ports", "http")))
                .isInstanceOf(InvalidException.class)
                .hasMessage("Invalid ports: 'http' (String); expected a port number or a list of port numbers.");
    }

    @Test
    void execOptionsFromNamedArguments() {
        dev.skiff.ExecOptions options = NamedOptions.execOptions(Map.of("workdir", "/srv/../src", "env", Map.of("A", "1"),
                "timeout", 2.5));
        assertThat(options.workdir()).isEqualTo("/src");
        assertThat(options.env()).isEqualTo(Map.of("A", "1"));
        assertThat(options.timeout()).isEqualTo(Duration.ofMillis(2500));
        assertThatThrownBy(() -> NamedOptions.execOptions(Map.of("tmeout", 1))).isInstanceOf(InvalidException.class)
                .hasMessage("Unknown option 'tmeout' for exec; the options are workdir, env, secrets, timeout.");
        assertThatThrownBy(() -> NamedOptions.sandboxOptions(Map.of("timeout", Double.NaN)))
                .isInstanceOf(InvalidException.class)
                .hasMessage("Invalid timeout: NaN (Double); expected a number of seconds.");
        assertThatThrownBy(() -> NamedOptions.sandboxOptions(Map.of("timeout", 1e10)))
                .isInstanceOf(InvalidException.class)
                .hasMessage("Invalid timeout: 1.0E10 (Double); expected a number of seconds up to 24 hours (86400).");
        assertThatThrownBy(() -> NamedOptions.sandboxOptions(Map.of("ports", new java.util.ArrayList<>(List.of(1.5)))))
                .isInstanceOf(InvalidException.class)
                .hasMessage("Invalid ports: [1.5] (ArrayList); expected a port number or a list of port numbers.");
    }
}
