package dev.skiff.bench;

import dev.skiff.ContainerProcess;
import dev.skiff.Image;
import dev.skiff.Sandbox;
import dev.skiff.SandboxOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Docker sandboxes beside the Docker CLI, measured in one run: {@code Sandbox.create} plus the first
 * {@code exec("true")} beside {@code docker run -d} plus {@code docker exec}, and one {@code exec}
 * round trip in a running sandbox beside {@code docker exec} in a running container. Both sides use
 * the image {@value #IMAGE}. Needs a running Docker daemon with that image, and the {@code docker} command.
 *
 * <p>Usage: {@code SandboxBench [createRuns] [execRuns]} (defaults 10 and 100).
 */
public final class SandboxBench {
    private static final String IMAGE = "skiff/debian-jre:bookworm";
    private static final SandboxOptions OPTIONS = SandboxOptions.defaults().backend("docker")
            .image(Image.fromRegistry(IMAGE));

    private SandboxBench() {
    }

    public static void main(String[] args) throws Exception {
        int createRuns = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int execRuns = args.length > 1 ? Integer.parseInt(args[1]) : 100;

        // Untimed runs load the classes, connect to the daemon and warm the CLI's files into the page cache.
        createAndExec();
        cliRunAndExec();
        double[] skiff = new double[createRuns];
        double[] cli = new double[createRuns];
        for (int i = 0; i < createRuns; i++) {
            skiff[i] = createAndExec();
            cli[i] = cliRunAndExec();
        }
        System.out.printf("Sandbox.create + exec(\"true\"): median %.0f ms (min %.0f, max %.0f) over %d runs%n",
                BenchSupport.median(skiff), BenchSupport.min(skiff), BenchSupport.max(skiff), createRuns);
        System.out.printf("docker run -d + docker exec true: median %.0f ms (min %.0f, max %.0f)%n",
                BenchSupport.median(cli), BenchSupport.min(cli), BenchSupport.max(cli));
        System.out.printf("create ratio: %.2f (goal at most 1.2)%n", BenchSupport.median(skiff) / BenchSupport.median(cli));

        double[] execs = execRoundTrips(execRuns);
        double[] cliExecs = cliExecRoundTrips(execRuns);
        System.out.printf("exec(\"true\") round trip: median %.1f ms (min %.1f, max %.1f) over %d runs%n",
                BenchSupport.median(execs), BenchSupport.min(execs), BenchSupport.max(execs), execRuns);
        System.out.printf("docker exec CONTAINER true: median %.1f ms (min %.1f, max %.1f)%n",
                BenchSupport.median(cliExecs), BenchSupport.min(cliExecs), BenchSupport.max(cliExecs));
        System.out.printf("exec ratio: %.2f (goal below 1)%n", BenchSupport.median(execs) / BenchSupport.median(cliExecs));
    }

    /** Returns the milliseconds of {@code Sandbox.create} and a first {@code exec("true")} to its exit code. */
    private static double createAndExec() throws InterruptedException {
        long started = System.nanoTime();
        Sandbox sandbox = Sandbox.create(OPTIONS);
        try {
            int code = sandbox.exec("true").waitFor();
            long elapsed = System.nanoTime() - started;
            require(code == 0, "exec(\"true\") exited with " + code);
            return BenchSupport.millis(elapsed);
        } finally {
            sandbox.terminate();
        }
    }

    private static double cliRunAndExec() throws IOException, InterruptedException {
        long started = System.nanoTime();
        String container = docker("run", "-d", IMAGE, "sleep", "300").strip();
        try {
            docker("exec", container, "true");
            return BenchSupport.millis(System.nanoTime() - started);
        } finally {
            docker("rm", "-f", container);
        }
    }

    private static double[] execRoundTrips(int runs) throws InterruptedException {
        Sandbox sandbox = Sandbox.create(OPTIONS);
        try {
            for (int i = 0; i < 10; i++) {
                sandbox.exec("true").waitFor();
            }
            double[] millis = new double[runs];
            for (int i = 0; i < runs; i++) {
                long started = System.nanoTime();
                ContainerProcess process = sandbox.exec("true");
                int code = process.waitFor();
                millis[i] = BenchSupport.millis(System.nanoTime() - started);
                require(code == 0, "exec(\"true\") exited with " + code);
            }
            return millis;
        } finally {
            sandbox.terminate();
        }
    }

    private static double[] cliExecRoundTrips(int runs) throws IOException, InterruptedException {
        String container = docker("run", "-d", IMAGE, "sleep", "600").strip();
        try {
            for (int i = 0; i < 10; i++) {
                docker("exec", container, "true");
            }
            double[] millis = new double[runs];
            for (int i = 0; i < runs; i++) {
                long started = System.nanoTime();
                docker("exec", container, "true");
                millis[i] = BenchSupport.millis(System.nanoTime() - started);
            }
            return millis;
        } finally {
            docker("rm", "-f", container);
        }
    }

    /** Runs the docker command with {@code arguments} and returns its standard output; fails on a non-zero exit. */
    private static String docker(String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("docker"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = process.waitFor();
        require(status == 0, String.join(" ", command) + " exited with status " + status);
        return output;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
