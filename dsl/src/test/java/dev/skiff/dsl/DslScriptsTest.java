package dev.skiff.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The DSL on real scripts run in this JVM, each checking itself with Groovy's {@code assert}: the
 * scripts under src/test/resources/dsl, which docs/dsl.md quotes.
 */
class DslScriptsTest {
    @Test
    void closuresCaptureVariablesAndMethods() throws Exception {
        assertThat(ScriptHarness.run("captures.groovy")).isEqualTo("captures ok");
    }

    @Test
    void rangesListsSpreadAndArities() throws Exception {
        assertThat(ScriptHarness.run("inputs.groovy")).isEqualTo("inputs ok");
    }

    @Test
    void scriptClassRunsAsCls() throws Exception {
        assertThat(ScriptHarness.run("classes.groovy")).isEqualTo("classes ok");
    }

    @Test
    void scriptTypesTravelBack() throws Exception {
        assertThat(ScriptHarness.run("results.groovy")).isEqualTo("(2, 1)");
    }

    @Test
    void namedOptionsApply() throws Exception {
        assertThat(ScriptHarness.run("options.groovy")).isEqualTo("options ok");
    }
}
