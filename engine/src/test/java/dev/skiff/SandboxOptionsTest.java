package dev.skiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SandboxOptionsTest {
    @Test
    void defaultsMatchTheDocumentation() {
        SandboxOptions options = SandboxOptions.defaults();
        assertThat(options.command()).isEmpty();
        assertThat(options.image()).isNull();
        assertThat(options.timeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(options.idleTimeout()).isNull();
        assertThat(options.app()).isEqualTo("sandboxes");
        assertThat(options.name()).isNull();
        assertThat(options.blockNetwork()).isFalse();
        assertThat(options.ports()).isEmpty();
        assertThat(options.cpu()).isNull();
        assertThat(options.memory()).isNull();
    }

    @Test
    void settersReturnCopies() {
        SandboxOptions base = SandboxOptions.defaults();
        SandboxOptions changed = base.timeout(Duration.ofSeconds(5)).cpu(0.5).memory(256).env(Map.of("A", "1"))
                .tags(Map.of("team", "data")).workdir("/srv").name("box").app("tools").ports(8080);
        assertThat(base.timeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(base.tags()).isEmpty();
        assertThat(base.ports()).isEmpty();
        assertThat(changed.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(changed.cpu()).isEqualTo(0.5);
        assertThat(changed.memory()).isEqualTo(256);
        assertThat(changed.env()).isEqualTo(Map.of("A", "1"));
        assertThat(changed.tags()).isEqualTo(Map.of("team", "data"));
        assertThat(changed.workdir()).isEqualTo("/srv");
        assertThat(changed.name()).isEqualTo("box");
        assertThat(changed.app()).isEqualTo("tools");
        assertThat(changed.ports()).containsExactly(8080);
    }

    @Test
    void environmentIncludesSecrets() {
        SandboxOptions options = SandboxOptions.defaults().env(Map.of("A", "1"))
                .secrets(Secret.fromMap("token", Map.of("TOKEN", "x")));
        assertThat(options.environment()).isEqualTo(Map.of("A", "1", "TOKEN", "x"));
    }

    @Test
    void timeoutOutOfRange() {
        assertThatThrownBy(() -> SandboxOptions.defaults().timeout(Duration.ofMillis(500)))
                .isInstanceOf(InvalidException.class)
                .hasMessage("Invalid timeout: 500 ms. It must be between 1 second and 24 hours.");
        assertThatThrownBy(() -> SandboxOptions.defaults().timeout(Duration.ofHours(25)))
                .isInstanceOf(InvalidException.class)
                .hasMessage("Invalid timeout: 90000000 ms. It must be between 1 second and 24 hours.");
        assertThatThrownBy(() -> SandboxOptions.defaults().idleTimeout(Duration.ZERO))
                .isInstanceOf(InvalidException.class)
                .hasMessage("Invalid idleTimeout: 0 ms. It must be between 1 second and 24 hours.");
    }

    @Test
    void relativeWorkdirRejected() {
        assertThatThrownBy(() -> SandboxOptions.defaults().workdir("data"))
                .isInstanceOf(InvalidException.class)
                .hasMessage("Invalid workdir 'data': it must be an absolute path in the container, such as /tmp.");
        assertThatThrownBy(() -> ExecOptions.defaults().workdir("data"))
                .isInstanceOf(InvalidException.class)
                .hasMessage("Invalid workdir 'data': it must be an absolute path in the container, such as /tmp.");
    }

    @Test
    void portsWithBlockNetworkRejected() {
        String message = "Invalid ports [8080] with blockNetwork: a sandbox without a network cannot publish ports; "
                + "remove the ports or the blockNetwork option.";
        assertThatThrownBy(() -> SandboxOptions.defaults().ports(8080).blockNetwork(true))
                .isInstanceOf(InvalidException.class).hasMessage(message);
        assertThatThrownBy(() -> SandboxOptions.defaults().blockNetwork(true).ports(8080))
                .isInstanceOf(InvalidException.class).hasMessage(message);
        assertThat(SandboxOptions.defaults().blockNetwork(true).ports().isEmpty()).isTrue();
    }

    @Test
    void invalidPortsRejected() {
        assertThatThrownBy(() -> SandboxOptions.defaults().ports(0))
                .isInstanceOf(InvalidException.class)
                .hasMessage("Invalid port: 0. It must be between 1 and 65535.");
        assertThatThrownBy(() -> SandboxOptions.defaults().ports(80, 80))
                .isInstanceOf(InvalidException.class)
                .hasMessage("Invalid ports [80, 80]: port 80 appears twice; list each port once.");
    }

    @Test
    void invalidNamesRejected() {
        assertThatThrownBy(() -> SandboxOptions.defaults().name("my box"))
                .isInstanceOf(InvalidException.class)
                .hasMessage("Invalid sandbox name 'my box': use 1 to 63 letters, digits, '_', '.' or '-', starting "
                        + "with a letter or digit.");
        assertThatThrownBy(() -> SandboxOptions.defaults().app(""))
                .isInstanceOf(InvalidException.class)
                .hasMessage("Invalid app name '': use 1 to 63 letters, digits, '_', '.' or '-', starting "
                        + "with a letter or digit.");
        assertThatThrownBy(() -> SandboxOptions.defaults().tags(Map.of("a b", "1")))
                .isInstanceOf(InvalidException.class)
                .hasMessage("Invalid tag key 'a b': use 1 to 63 letters, digits, '_', '.' or '-', starting "
                        + "with a letter or digit.");
    }

    @Test
    void invalidResourcesRejected() {
        assertThatThrownBy(() -> SandboxOptions.defaults().cpu(0))
                .isInstanceOf(InvalidException.class)
                .hasMessage("Invalid cpu: 0.0. It must be greater than 0 and at most 512 cores.");
        assertThatThrownBy(() -> SandboxOptions.defaults().memory(10))
                .isInstanceOf(InvalidException.class)
                .hasMessage("Invalid memory: 10 MiB. It must be at least 64 MiB.");
        assertThatThrownBy(() -> SandboxOptions.defaults().mount(Path.of("relative"), "/data"))
                .isInstanceOf(InvalidException.class)
                .hasMessage("mount: the host folder 'relative' must be an absolute path.");
        assertThatThrownBy(() -> SandboxOptions.defaults().volume("data", Volume.fromName("v")))
                .isInstanceOf(InvalidException.class)
                .hasMessage("volume: 'data' must be an absolute path in the container, such as /data.");
    }

    @Test
    void execTimeoutOutOfRange() {
        assertThatThrownBy(() -> ExecOptions.defaults().timeout(Duration.ofMillis(10)))
                .isInstanceOf(InvalidException.class)
                .hasMessage("Invalid timeout: 10 ms. It must be between 1 second and 24 hours.");
    }

    @Test
    void execEnvironmentIncludesSecrets() {
        assertThat(ExecOptions.defaults().env(Map.of("A", "1")).secrets(Secret.fromMap("s", Map.of("B", "2")))
                .environment()).isEqualTo(Map.of("A", "1", "B", "2"));
    }

    @Test
    void commandWithNullRejected() {
        assertThatThrownBy(() -> SandboxOptions.defaults().command("ls", null))
                .isInstanceOf(InvalidException.class)
                .hasMessage("Invalid command [ls, null]: it contains null; pass only non-null words.");
    }
}
