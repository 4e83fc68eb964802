package dev.skiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployTest {
    @TempDir
    Path home;

    @BeforeEach
    void useTemporaryHome() {
        System.setProperty("skiff.home", home.toString());
    }

    @AfterEach
    void restoreHome() {
        System.clearProperty("skiff.home");
    }

    public static class Greeter {
        @Method
        public String hello() {
            return "hello from " + getClass().getSimpleName();
        }
    }

    @Test
    void fromNameOfMissingAppIsNotFound() {
        assertThatThrownBy(() -> Function.fromName("nowhere", "square"))
                .isExactlyInstanceOf(NotFoundException.class)
                .hasMessage("App \"nowhere\" is not deployed in " + home.resolve("apps")
                        + ": call deploy() on it first, or set SKIFF_HOME to the home it was deployed to.");
    }

    @Test
    void fromNameOfMissingFunctionIsNotFound() {
        App app = App.named("deployed");
        app.function("square", (Integer x) -> x * x);
        app.deploy();
        assertThatThrownBy(() -> Function.fromName("deployed", "cube"))
                .isExactlyInstanceOf(NotFoundException.class)
                .hasMessage("App \"deployed\" has no function \"cube\"; its deployed functions are [square].");
        assertThatThrownBy(() -> Cls.fromName("deployed", "Model"))
                .isExactlyInstanceOf(NotFoundException.class)
                .hasMessage("App \"deployed\" has no class \"Model\"; its deployed classes are [].");
    }

    @Test
    void deployedFunctionRunsInThisJvm() {
        try (Engine engine = Engine.embedded()) {
            App app = App.named("deployed-here", engine);
            app.function("square", (Integer x) -> x * x);
            app.deploy();
        }
        Function<Integer> square = Function.fromName("deployed-here", "square");
        assertThat(square.remote(9)).isEqualTo(81);
        assertThat(square.local(3)).isEqualTo(9);
    }

    @Test
    void deployedFunctionAndClassRunFromAnotherJvm() throws Exception {
        App app = App.named("shared");
        app.function("triple", (Integer x) -> 3 * x);
        app.cls(Greeter.class);
        app.deploy();
        assertThat(runCaller("shared", "triple", "14")).isEqualTo("result=42");
        assertThat(runCaller("shared", "Greeter", "hello")).isEqualTo("result=hello from Greeter");
        assertThat(runCaller("absent", "triple", "1")).startsWith("not found: App \"absent\" is not deployed");
    }

    @Test
    void concurrentDeploysLeaveOneWholeVersion() throws Exception {
        List<CompletableFuture<Void>> deploys = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int factor = i;
            deploys.add(CompletableFuture.runAsync(() -> {
                App app = App.named("contended");
                app.function("scale", (Integer x) -> x * factor);
                app.function("identity" + factor, (Integer x) -> x);
                app.deploy();
            }));
        }
        CompletableFuture.allOf(deploys.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        Function<Integer> scale = Function.fromName("contended", "scale");
        int factor = scale.local(1);
        assertThat(Function.<Integer>fromName("contended", "identity" + factor).local(5)).isEqualTo(5);
        assertThat(Deployments.list()).containsExactly("contended");
        assertThat(home.resolve("apps/contended/versions").toFile().list()).hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void removedAppIsNoLongerFound() {
        App app = App.named("short-lived");
        app.function("one", () -> 1);
        app.deploy();
        assertThat(Deployments.remove("short-lived")).isTrue();
        assertThat(Deployments.remove("short-lived")).isFalse();
        assertThatThrownBy(() -> Function.fromName("short-lived", "one")).isExactlyInstanceOf(NotFoundException.class);
    }

    private String runCaller(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DeployedCaller.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("SKIFF_HOME", home.toString());
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return output.lines().filter(l -> l.startsWith("result=") || l.startsWith("not found:")).findFirst()
                .orElse("no result line in: " + output);
    }
}
