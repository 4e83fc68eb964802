package dev.skiff.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class QuickstartTest {
    @Test
    void quickstartPrintsExpectedResults() throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Quickstart.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        List<String> lines = output.lines().filter(line -> !line.startsWith("[FibonacciCache wk-")).toList();
        assertThat(lines).containsExactly(
                "remote: fibonacci(50) = 12586269025",
                "local:  fibonacci(10) = 55",
                "map:    [1, 1, 2, 3, 5, 8, 13, 21, 34, 55]",
                "spawn:  fibonacci(90) = 2880067194370816120",
                "class:  fibonacci(200) = 280571172992510140037611932413038677189525",
                "class:  fibonacci(150) = 9969216677189303386214405760200",
                "class:  cache hits = 1",
                "batches: 10 batches of 100, sum of squares 1..1000 = 333833500");
        assertThat(output).contains("cache held 201 values");
    }
}
