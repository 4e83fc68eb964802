package dev.skiff.kernelspec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel driven by real Jupyter clients: jupyter_kernel_test's conformance suite, nbclient running
 * every example notebook, and jupyter console. The build installs the clients with
 * scripts/install-jupyter.sh; these tests are skipped only when that was impossible.
 */
@Timeout(600)
class JupyterClientsTest {
    private static final Path PYTHON_TESTS = Path.of(System.getProperty("skiff.python.tests", "src/test/python"));
    private static final Path NOTEBOOKS = Path.of(System.getProperty("skiff.notebooks", "../notebooks"));

    @TempDir
    static Path prefix;
    @TempDir
    static Path skiffHome;
    private static Map<String, String> environment;

    @BeforeAll
    static void installKernelSpec() throws Exception {
        String missing = JupyterClients.missing();
        Assumptions.assumeTrue(missing == null, () -> "Skipping the Jupyter client tests: " + missing
                + ". Run scripts/install-jupyter.sh as root to install Debian's Jupyter clients.");
        environment = JupyterClients.install(prefix, skiffHome);
    }

    @Test
    void kernelTestSuitePasses() throws Exception {
        String output = JupyterClients.run(List.of(JupyterClients.PYTHON, "-m", "unittest", "-v", "test_kernel"),
                PYTHON_TESTS, environment, 300);
        assertThat(output).contains("OK").doesNotContain("FAILED");
    }

    @Test
    void exampleNotebooksRun() throws Exception {
        String output = JupyterClients.run(List.of(JupyterClients.PYTHON, "run_notebooks.py",
                NOTEBOOKS.toAbsolutePath().toString()), PYTHON_TESTS, environment, 420);
        assertThat(output).contains(" 0 failed");
    }

    @Test
    void consoleRunsCells() throws Exception {
        String output = JupyterClients.run(List.of(JupyterClients.PYTHON, "console_smoke.py"), PYTHON_TESTS,
                environment, 240);
        assertThat(output).contains("console says 42");
    }
}
