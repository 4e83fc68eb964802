package dev.skiff.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code %maven} resolving real artifacts into the classpath of Java cells, Groovy cells and their
 * workers. The artifacts are small Apache Commons libraries: when they are in {@code ~/.m2/repository}
 * the test runs offline, and otherwise {@code %maven} downloads them from Maven Central.
 */
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MavenMagicTest {
    /** Long enough for a download from Maven Central, for the first Groovy cell and for a worker start. */
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(120);

    @RegisterExtension
    static final KernelProcessExtension KERNEL = new KernelProcessExtension(REPLY_TIMEOUT);

    private static ExecutedCell run(String code) {
        return KERNEL.run(code);
    }

    @Test
    @Order(1)
    void mavenBeforeFirstGroovyCellReachesBothLanguages() {
        ExecutedCell added = run("%maven org.apache.commons:commons-text:1.12.0");
        assertThat(added.status()).as(added.error()).isEqualTo("ok");
        assertThat(added.stdout()).isEqualTo("Added org.apache.commons:commons-text:1.12.0 (2 jars) to the classpath:"
                + " commons-text-1.12.0.jar, commons-lang3-3.14.0.jar\n");

        ExecutedCell java = run("org.apache.commons.text.WordUtils.capitalize(\"skiff kernel\")");
        assertThat(java.status()).as(java.error()).isEqualTo("ok");
        assertThat(java.result()).isEqualTo("\"Skiff Kernel\"");

        ExecutedCell dependency = run("import org.apache.commons.lang3.StringUtils;\nStringUtils.reverse(\"abc\")");
        assertThat(dependency.status()).as(dependency.error()).isEqualTo("ok");
        assertThat(dependency.result()).isEqualTo("\"cba\"");

        ExecutedCell groovy = run("%%groovy\nimport org.apache.commons.text.CaseUtils\n"
                + "CaseUtils.toCamelCase('skiff kernel test', false, ' ' as char)");
        assertThat(groovy.status()).as(groovy.error()).isEqualTo("ok");
        assertThat(groovy.result()).isEqualTo("skiffKernelTest");

        ExecutedCell remote = run("%%groovy\n"
                + "capitalize = app('maven-magic').function('capitalize') { String text ->\n"
                + "    org.apache.commons.text.WordUtils.capitalize(text)\n"
                + "}\n"
                + "capitalize.remote('in a worker')");
        assertThat(remote.status()).as(remote.error()).isEqualTo("ok");
        assertThat(remote.result()).isEqualTo("In A Worker");
    }

    @Test
    @Order(2)
    void mavenAfterGroovyStartedReachesBothLanguages() {
        assertThat(run("%%groovy\n1 + 1").result()).isEqualTo("2");

        ExecutedCell added = run("%maven commons-codec:commons-codec:1.17.1");
        assertThat(added.status()).as(added.error()).isEqualTo("ok");
        assertThat(added.stdout()).isEqualTo("Added commons-codec:commons-codec:1.17.1 (1 jar) to the classpath:"
                + " commons-codec-1.17.1.jar\n");

        ExecutedCell java = run("org.apache.commons.codec.binary.Hex.encodeHexString(\"hi\".getBytes())");
        assertThat(java.status()).as(java.error()).isEqualTo("ok");
        assertThat(java.result()).isEqualTo("\"6869\"");

        ExecutedCell groovy = run("%%groovy\norg.apache.commons.codec.binary.Hex.encodeHexString('skiff'.bytes)");
        assertThat(groovy.status()).as(groovy.error()).isEqualTo("ok");
        assertThat(groovy.result()).isEqualTo("736b696666");
    }
}
