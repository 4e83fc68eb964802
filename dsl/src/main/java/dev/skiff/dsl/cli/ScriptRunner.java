package dev.skiff.dsl.cli;

import dev.skiff.OutputSink;
import dev.skiff.dsl.ClosureSignature;
import dev.skiff.dsl.ScriptFiles;
import dev.skiff.dsl.ScriptSession;
import dev.skiff.dsl.SkiffApp;
import groovy.lang.Closure;
import groovy.lang.Script;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.runtime.FormatHelper;

/**
 * Runs a script for {@code skiff run} and {@code skiff deploy}: compiles it, runs its body, then
 * its local entrypoint, one function, or a deployment. Returns the exit status: 0 on success, 1
 * when the user's code failed (compile errors included), 2 for a usage error.
 */
final class ScriptRunner {
    private final PrintStream out;
    private final PrintStream err;
    private final boolean fullTraces;

    ScriptRunner(PrintStream out, PrintStream err, boolean fullTraces) {
        this.out = out;
        this.err = err;
        this.fullTraces = fullTraces;
    }

    /** The work done once the script body has run. */
    interface Action {
        void run(ScriptSession session, Script script) throws Exception;
    }

    /** Runs {@code file} with {@code args} bound as {@code args}, then {@code action}. */
    int run(String file, String[] args, Action action) {
        Timings timings = new Timings();
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            return usage("script not found: " + file);
        }
        OutputSink.setDefault(ScriptRunner::printWorkerOutput);
        EarlyCompile early = EarlyCompile.take(path);
        ScriptSession session = early != null ? early.session() : ScriptSession.forScript();
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread interruptHook = new Thread(() -> {
            interrupted.set(true);
            err.println("skiff: interrupted; stopping workers");
            err.flush();
            session.close();
        }, "skiff-interrupt");
        Runtime.getRuntime().addShutdownHook(interruptHook);
        try {
            Script script;
            timings.mark("startup");
            try {
                script = early != null ? ScriptFiles.create(early.scriptClass(), session, args)
                        : ScriptFiles.compile(session, path, args);
                timings.mark("compile");
            } catch (CompilationFailedException e) {
                CompileErrors.print(e, file, err);
                return 1;
            } catch (IOException e) {
                return usage("cannot read script " + file + ": " + e.getMessage());
            }
            try {
                script.run();
                timings.mark("script body");
                action.run(session, script);
                timings.mark("entrypoint or function");
                return 0;
            } catch (UsageException e) {
                return usage(e.getMessage());
            } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
                if (interrupted.get()) {
                    // The calls failed because the shutdown hook closed the engine, and the hook printed why.
                    return 1;
                }
                new ErrorReport(session.loader().recordedClassNames(), fullTraces, "run with --stacktrace")
                        .print(e, err);
                return 1;
            }
        } finally {
            session.close();
            removeHook(interruptHook);
            timings.mark("shutdown");
            out.flush();
            timings.print(err);
        }
    }

    /** Runs the local entrypoint, if the script declares one, with parameters parsed from {@code args}. */
    static Action entrypoint(List<String> args) {
        return (session, script) -> {
            Closure<?> entrypoint = session.entrypoint().orElse(null);
            if (entrypoint != null) {
                Object[] arguments = CommandLineArguments.parse(ClosureSignature.of(entrypoint), args,
                        "localEntrypoint");
                entrypoint.call(arguments);
            }
        };
    }

    /** Runs function {@code name} remotely with parameters parsed from {@code args} and prints its result. */
    Action function(String name, String file, List<String> args) {
        return (session, script) -> {
            SkiffFunctionLookup.Found found = SkiffFunctionLookup.find(session, name, file);
            Object[] arguments = CommandLineArguments.parse(found.signature(), args, "function " + name);
            Object result = found.function().remote(arguments);
            if (result != null) {
                out.println(FormatHelper.toString(result));
            }
        };
    }

    /** Deploys every app the script created and prints what was deployed. */
    Action deploy(String file) {
        return (session, script) -> {
            List<SkiffApp> apps = session.apps();
            if (apps.isEmpty()) {
                throw new UsageException(file + " creates no app; call app('name') in the script and register "
                        + "functions on it.");
            }
            for (SkiffApp app : apps) {
                app.deploy();
                List<String> parts = new ArrayList<>();
                parts.add("functions " + app.getFunctions().keySet());
                parts.add("classes " + app.getClassNames());
                out.println("Deployed app " + app.getName() + ": " + String.join(", ", parts));
            }
        };
    }

    private int usage(String message) {
        err.println("skiff: " + message);
        err.flush();
        return 2;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down and the hook has run or is running.
        }
    }

    /** Prints worker output as it is, without the function and call tags of the engine's console sink. */
    private static void printWorkerOutput(String function, String input, boolean stderr, String text) {
        PrintStream stream = stderr ? System.err : System.out;
        stream.print(text.endsWith("\n") ? text : text + "\n");
        stream.flush();
    }
}
