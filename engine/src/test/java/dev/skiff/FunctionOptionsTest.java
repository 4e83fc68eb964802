package dev.skiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionOptionsTest {
    @Test
    void defaultsMatchTheDocumentation() {
        FunctionOptions options = FunctionOptions.defaults();
        assertThat(options.timeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(options.retries().maxRetries()).isZero();
        assertThat(options.maxContainers()).isEqualTo(Math.max(2, Runtime.getRuntime().availableProcessors()));
        assertThat(options.minContainers()).isZero();
        assertThat(options.bufferContainers()).isZero();
        assertThat(options.scaledownWindow()).isEqualTo(Duration.ofSeconds(60));
        assertThat(options.concurrentInputs()).isEqualTo(1);
        assertThat(options.cpu()).isNull();
        assertThat(options.memory()).isNull();
        assertThat(options.gpu()).isEmpty();
    }

    @Test
    void settersReturnCopies() {
        FunctionOptions base = FunctionOptions.defaults();
        FunctionOptions changed = base.timeout(Duration.ofSeconds(5)).cpu(0.5).memory(256).env(Map.of("A", "1"));
        assertThat(base.timeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(changed.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(changed.cpu()).isEqualTo(0.5);
        assertThat(changed.memory()).isEqualTo(256);
        assertThat(changed.env()).containsExactly(Map.entry("A", "1"));
    }

    @Test
    void invalidValuesAreRejected() {
        FunctionOptions options = FunctionOptions.defaults();
        assertThatThrownBy(() -> options.timeout(Duration.ofMillis(10))).isExactlyInstanceOf(InvalidException.class)
                .hasMessage("Invalid timeout: 10 ms. It must be between 1 second and 24 hours.");
        assertThatThrownBy(() -> options.maxContainers(0)).isExactlyInstanceOf(InvalidException.class)
                .hasMessage("Invalid maxContainers: 0. It must be at least 1.");
        assertThatThrownBy(() -> options.minContainers(-1)).isExactlyInstanceOf(InvalidException.class)
                .hasMessage("Invalid minContainers: -1. It must be at least 0.");
        assertThatThrownBy(() -> options.concurrentInputs(0)).isExactlyInstanceOf(InvalidException.class)
                .hasMessage("Invalid concurrentInputs: 0. It must be between 1 and 1000.");
        assertThatThrownBy(() -> options.cpu(0)).isExactlyInstanceOf(InvalidException.class)
                .hasMessage("Invalid cpu: 0.0. It must be greater than 0 and at most 512 cores.");
        assertThatThrownBy(() -> options.memory(32)).isExactlyInstanceOf(InvalidException.class)
                .hasMessage("Invalid memory: 32 MiB. It must be at least 64 MiB.");
        assertThatThrownBy(() -> options.env(Map.of("A=B", "1"))).isExactlyInstanceOf(InvalidException.class)
                .hasMessage("Invalid environment variable A=B=1: the name must be non-empty without '=' and the value "
                        + "non-null.");
    }

    @Test
    void minAboveMaxIsRejectedAtRegistration() {
        FunctionOptions options = FunctionOptions.defaults().maxContainers(2).minContainers(3);
        assertThatThrownBy(() -> App.named("scaling").function("f", options, () -> 1))
                .isExactlyInstanceOf(InvalidException.class)
                .hasMessage("Invalid options for f: minContainers 3 is greater than maxContainers 2; lower "
                        + "minContainers or raise maxContainers.");
    }

    @Test
    void secretNamesCannotLeaveTheSecretsFolder() {
        assertThatThrownBy(() -> Secret.fromName("../../etc/passwd"))
                .isExactlyInstanceOf(InvalidException.class)
                .hasMessage("Invalid secret name \"../../etc/passwd\": use 1 to 64 letters, digits, '_', '.' or '-', "
                        + "starting with a letter or digit.");
        assertThatThrownBy(() -> Secret.fromName(null)).isExactlyInstanceOf(InvalidException.class);
    }

    @Test
    void secretsHideValues() {
        Secret secret = Secret.fromMap("db", Map.of("PASSWORD", "hunter2"));
        assertThat(secret.toString()).isEqualTo("Secret[db, keys=[PASSWORD]]");
        assertThat(FunctionOptions.defaults().secrets(secret).toString()).doesNotContain("hunter2");
    }

    @Test
    void backendNamesAreChecked() {
        assertThatThrownBy(() -> FunctionOptions.defaults().backend("kubernetes"))
                .isInstanceOf(InvalidException.class)
                .hasMessage("Unknown backend 'kubernetes': use local or docker.");
        assertThatThrownBy(() -> App.named("backends").backend("dockr"))
                .isInstanceOf(InvalidException.class)
                .hasMessage("Unknown backend 'dockr': use local or docker.");
        assertThat(FunctionOptions.defaults().backend("docker").effectiveBackend()).isEqualTo("docker");
        assertThat(FunctionOptions.defaults().backend()).isNull();
    }

    @Test
    void mountPathsMustBeAbsolute() {
        assertThatThrownBy(() -> FunctionOptions.defaults().volume("data", Volume.fromName("cache")))
                .isInstanceOf(InvalidException.class)
                .hasMessage("volume: 'data' must be an absolute path in the container, such as /data.");
        assertThatThrownBy(() -> FunctionOptions.defaults().mount(java.nio.file.Path.of("/srv"), "/"))
                .isInstanceOf(InvalidException.class)
                .hasMessage("mount: the container's root folder '/' cannot be a mount point; mount at a folder below "
                        + "it, such as /data.");
        assertThatThrownBy(() -> FunctionOptions.defaults().mount(java.nio.file.Path.of("srv"), "/data"))
                .isInstanceOf(InvalidException.class)
                .hasMessage("mount: the host folder 'srv' must be an absolute path.");
        assertThatThrownBy(() -> Volume.fromName("-bad"))
                .isInstanceOf(InvalidException.class)
                .hasMessage("Invalid volume name '-bad': use 1 to 63 letters, digits, '_', '.' or '-', starting with a "
                        + "letter or digit.");
    }

    @Test
    void dockerOptionsRejectedOnLocalBackend() {
        try (Engine engine = Engine.embedded()) {
            App app = App.named("options-test", engine);
            FunctionOptions local = FunctionOptions.defaults().backend("local");
            assertThatThrownBy(() -> app.function("f", local.image(Image.debianSlim()).volume("/data", Volume.fromName("v")),
                    () -> 1)).isInstanceOf(InvalidException.class)
                    .hasMessage("The function f sets image, volumes, which only the docker backend applies, but it "
                            + "would run on the local backend. Choose docker with backend(\"docker\") in its options "
                            + "or its app, or SKIFF_BACKEND=docker; or remove image, volumes.");
            assertThat(app.function("g", local.image(Image.debianSlim()).backend("docker"), () -> 1).name())
                    .isEqualTo("g");
        }
    }
}
