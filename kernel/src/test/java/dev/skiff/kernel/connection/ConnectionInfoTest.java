package dev.skiff.kernel.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionInfoTest {

    private static final String JUPYTER_FILE = """
            {
              "shell_port": 53001,
              "iopub_port": 53002,
              "stdin_port": 53003,
              "control_port": 53004,
              "hb_port": 53005,
              "ip": "127.0.0.1",
              "key": "a0436f6c-1916-498b-8eb9-e81ab9368e84",
              "transport": "tcp",
              "signature_scheme": "hmac-sha256",
              "kernel_name": "java"
            }
            """;

    @Test
    void parsesJupyterConnectionFile() throws Exception {
        ConnectionInfo info = ConnectionInfo.parse(JUPYTER_FILE);

        assertThat(info.transport()).isEqualTo("tcp");
        assertThat(info.ip()).isEqualTo("127.0.0.1");
        assertThat(info.shellPort()).isEqualTo(53001);
        assertThat(info.iopubPort()).isEqualTo(53002);
        assertThat(info.stdinPort()).isEqualTo(53003);
        assertThat(info.controlPort()).isEqualTo(53004);
        assertThat(info.hbPort()).isEqualTo(53005);
        assertThat(info.key()).isEqualTo("a0436f6c-1916-498b-8eb9-e81ab9368e84");
        assertThat(info.signatureScheme()).isEqualTo("hmac-sha256");
        assertThat(info.endpoint(info.shellPort())).isEqualTo("tcp://127.0.0.1:53001");
    }

    @Test
    void readsFromFile(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("kernel-1.json");
        Files.writeString(file, JUPYTER_FILE);

        assertThat(ConnectionInfo.read(file).controlPort()).isEqualTo(53004);
    }

    @Test
    void unsupportedSignatureSchemeIsNamed() {
        String json = JUPYTER_FILE.replace("hmac-sha256", "hmac-md5");

        assertThatThrownBy(() -> ConnectionInfo.parse(json))
                .isInstanceOf(ConnectionFileException.class)
                .hasMessageContaining("unsupported signature_scheme 'hmac-md5'");
    }

    @Test
    void unsupportedTransportIsNamed() {
        String json = JUPYTER_FILE.replace("\"tcp\"", "\"ipc\"");

        assertThatThrownBy(() -> ConnectionInfo.parse(json))
                .isInstanceOf(ConnectionFileException.class)
                .hasMessageContaining("unsupported transport 'ipc'");
    }

    @Test
    void missingPortIsNamed() {
        String json = JUPYTER_FILE.replace("\"hb_port\": 53005,", "");

        assertThatThrownBy(() -> ConnectionInfo.parse(json))
                .isInstanceOf(ConnectionFileException.class)
                .hasMessage("connection file field 'hb_port' is missing");
    }

    @Test
    void outOfRangePortIsRejected() {
        String json = JUPYTER_FILE.replace("53002", "70000");

        assertThatThrownBy(() -> ConnectionInfo.parse(json))
                .isInstanceOf(ConnectionFileException.class)
                .hasMessageContaining("iopub_port must be between 0 and 65535, got 70000");
    }

    @Test
    void invalidJsonIsRejectedWithFileName(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("broken.json");
        Files.writeString(file, "{\"ip\": ");

        assertThatThrownBy(() -> ConnectionInfo.read(file))
                .isInstanceOf(ConnectionFileException.class)
                .hasMessageContaining("broken.json")
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void missingKeyMeansUnsigned() throws Exception {
        String json = JUPYTER_FILE.replace("\"key\": \"a0436f6c-1916-498b-8eb9-e81ab9368e84\",", "");

        assertThat(ConnectionInfo.parse(json).key()).isEmpty();
    }

    @Test
    void toStringHidesKey() throws Exception {
        ConnectionInfo info = ConnectionInfo.parse(JUPYTER_FILE);

        assertThat(info.toString()).doesNotContain(info.key()).contains("signed=true");
    }

    @Test
    void portZeroBindsWildcard() throws Exception {
        ConnectionInfo info = ConnectionInfo.parse(JUPYTER_FILE).withPorts(0, 0, 0, 0, 0);

        assertThat(info.endpoint(info.hbPort())).isEqualTo("tcp://127.0.0.1:*");
    }
}
