package dev.skiff.dsl.cli;

import dev.skiff.Engine;
import dev.skiff.dsl.CompiledScripts;
import dev.skiff.dsl.ScriptSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Starts compiling the script of {@code skiff run} or {@code skiff deploy} on a second thread as
 * soon as {@code main} starts, and the engine on a third, so that both overlap with parsing the
 * command line and starting Groovy's runtime. The runner then takes the session and the compiled class if they are
 * for the same file, else compiles as usual.
 */
final class EarlyCompile {
    private static volatile EarlyCompile started;
    /** Classes whose initialization builds Groovy's runtime in a worker: the meta-class registry and its added JDK methods. */
    private static final List<String> PRELOAD = List.of("org.codehaus.groovy.runtime.InvokerHelper",
            "dev.skiff.dsl.ClosureBody");

    private final Path file;
    private final ScriptSession session;
    private final CompletableFuture<Class<?>> compiled;

    private EarlyCompile(Path file, ScriptSession session, CompletableFuture<Class<?>> compiled) {
        this.file = file;
        this.session = session;
        this.compiled = compiled;
    }

    /** Starts compiling when {@code args} run or deploy an existing script file. */
    static void start(String[] args) {
        Path file = scriptOf(args);
        if (file == null) {
            return;
        }
        ScriptSession session = ScriptSession.forScript();
        CompletableFuture<Class<?>> compiled = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                compiled.complete(CompiledScripts.load(session, file));
            } catch (IOException e) {
                compiled.completeExceptionally(new UncheckedIOException(e));
            } catch (RuntimeException | Error e) {
                compiled.completeExceptionally(e);
            }
        }, "skiff-early-compile");
        thread.setDaemon(true);
        thread.start();
        boolean grabs = mentionsGrab(file);
        Thread warmUp = new Thread(() -> warmUp(session, !grabs), "skiff-early-engine");
        warmUp.setDaemon(true);
        warmUp.start();
        started = new EarlyCompile(file, session, compiled);
    }

    /**
     * Starts the engine and reads the classpath for code bundles, which the script body would do on
     * first use, and with {@code spare} starts a worker that builds Groovy's runtime while the script
     * compiles, for the script's first function to take.
     */
    private static void warmUp(ScriptSession session, boolean spare) {
        Engine engine = session.engine();
        List<String> classpath = session.bundle().classpath();
        if (spare) {
            engine.startSpareWorker(classpath, PRELOAD);
        }
    }

    /** Returns true when the script may grab jars, which gives its workers another classpath than the spare's. */
    private static boolean mentionsGrab(Path file) {
        try {
            return Files.readString(file).contains("@Grab");
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /** Returns the early compilation of {@code file}, once, or null when none was started for it. */
    static EarlyCompile take(Path file) {
        EarlyCompile early = started;
        started = null;
        return early != null && early.file.equals(file.toAbsolutePath().normalize()) ? early : null;
    }

    ScriptSession session() {
        return session;
    }

    /** Waits for the compiled script class, rethrowing what compiling raised. */
    Class<?> scriptClass() throws IOException {
        try {
            return compiled.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while compiling " + file, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw (Error) cause;
        }
    }

    /** Returns the script file of {@code run SCRIPT[::FUNCTION]} or {@code deploy SCRIPT}, or null. */
    private static Path scriptOf(String[] args) {
        if (args.length < 2 || !(args[0].equals("run") || args[0].equals("deploy"))) {
            return null;
        }
        for (int i = 1; i < args.length; i++) {
            String word = args[i];
            if (word.startsWith("-")) {
                continue;
            }
            int separator = args[0].equals("run") ? word.lastIndexOf("::") : -1;
            Path file = Path.of(separator < 0 ? word : word.substring(0, separator)).toAbsolutePath().normalize();
            return Files.isRegularFile(file) ? file : null;
        }
        return null;
    }
}
