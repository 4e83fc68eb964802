package dev.skiff.engine;

import dev.skiff.FunctionOptions;
import dev.skiff.Secret;
import dev.skiff.worker.WorkerMain;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each worker as a JVM subprocess of this one, with the bundle's classpath. Memory becomes the
 * heap limit ({@code -Xmx}), cpu the processor count that the JVM reports, and GPUs are assigned through
 * {@code CUDA_VISIBLE_DEVICES}. There is no isolation beyond the operating system process.
 */
public final class LocalBackend implements Backend {
    private static final Logger LOG = LoggerFactory.getLogger(LocalBackend.class);

    /** Extra JVM options for every worker, split on whitespace, from {@code SKIFF_WORKER_JAVA_OPTS}. */
    private final List<String> extraJvmOptions;
    private final LocalGpus gpus = new LocalGpus();
    private final ClassDataArchives archives = ClassDataArchives.fromEnvironment();

    public LocalBackend() {
        String extra = System.getenv("SKIFF_WORKER_JAVA_OPTS");
        extraJvmOptions = extra == null || extra.isBlank() ? List.of() : List.of(extra.trim().split("\\s+"));
    }

    @Override
    public WorkerProcess start(WorkerLaunch launch, Consumer<String> outputLine) throws IOException {
        PoolSpec spec = launch.spec();
        String workerId = launch.workerId();
        FunctionOptions options = spec.options();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.add("-Xshare:auto");
        if (options.memory() != null) {
            command.add("-Xmx" + options.memory() + "m");
        }
        if (options.cpu() != null) {
            command.add("-XX:ActiveProcessorCount=" + (int) Math.ceil(options.cpu()));
        }
        command.addAll(extraJvmOptions);
        String classpath = String.join(File.pathSeparator, spec.bundle().classpath());
        ClassDataArchives.Use archive = archives.use(classpath, workerId);
        command.addAll(archive.jvmOptions());
        command.add("-cp");
        command.add(classpath);
        command.add(WorkerMain.class.getName());
        command.add(launch.inboundEndpoint());
        command.add(launch.outboundEndpoint());
        command.add(workerId);
        command.add(Long.toString(ProcessHandle.current().pid()));

        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.putAll(options.env());
        for (Secret secret : options.secrets()) {
            environment.putAll(secret.values());
        }
        environment.put(WorkerLaunch.IDENTITY_VARIABLE, launch.identity());
        if (!options.gpu().isEmpty()) {
            environment.put("CUDA_VISIBLE_DEVICES", gpus.assign(spec.name(), options.gpu()));
        }
        Process process = builder.start();
        process.onExit().thenRun(archive::workerExited);
        LOG.info("Started worker {} (pid {}) for {}", workerId, process.pid(), spec.name());
        Thread reader = new Thread(() -> pump(process, outputLine), "skiff-output-" + workerId);
        reader.setDaemon(true);
        reader.start();
        return new LocalProcess(process);
    }

    private static void pump(Process process, Consumer<String> outputLine) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                outputLine.accept(line);
            }
        } catch (IOException e) {
            LOG.debug("Output of worker pid {} closed: {}", process.pid(), e.toString());
        }
    }

    private record LocalProcess(Process process) implements WorkerProcess {
        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public CompletableFuture<Integer> onExit() {
            return process.onExit().thenApply(Process::exitValue);
        }

        @Override
        public void kill() {
            process.destroyForcibly();
        }

        @Override
        public boolean isAlive() {
            return process.isAlive();
        }
    }
}
