package dev.skiff.kernel.java;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.App;
import dev.skiff.SkiffHome;
import dev.skiff.dsl.repl.GroovyCells;
import dev.skiff.kernel.KernelContext;
import dev.skiff.kernel.KernelHandler;
import dev.skiff.kernel.Replies;
import dev.skiff.kernel.display.Comm;
import dev.skiff.kernel.display.CommManager;
import dev.skiff.kernel.display.Display;
import dev.skiff.kernel.display.DisplaySink;
import dev.skiff.kernel.groovy.GroovyEvaluator;
import dev.skiff.kernel.io.OutputRouter;
import dev.skiff.kernel.io.StandardStreams;
import dev.skiff.kernel.jshell.CodeAssist;
import dev.skiff.kernel.jshell.Evaluator;
import dev.skiff.kernel.magic.MagicException;
import dev.skiff.kernel.magic.Magics;
import dev.skiff.kernel.remote.NotebookCodeHost;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java kernel: JShell in this JVM, with Skiff's types imported and cell code shipped to Skiff
 * workers. JShell starts on a background thread so that {@code kernel_info_request} gets its reply
 * at once; the first request that needs it waits for it.
 */
public final class JavaKernel implements KernelHandler {
    private static final Logger LOG = LoggerFactory.getLogger(JavaKernel.class);
    /** The indent that {@code is_complete_reply} suggests for the next line of an unfinished Groovy cell. */
    private static final String GROOVY_INDENT = "    ";

    private final OutputRouter router = new OutputRouter();
    private final CommManager comms = new CommManager();
    private final History history = new History(SkiffHome.path().resolve("kernel").resolve("history.jsonl"));
    private final CellRunner runner = new CellRunner(router, history);
    private final CompletableFuture<Evaluator> evaluator = new CompletableFuture<>();
    private final GroovyEvaluator groovy = new GroovyEvaluator();
    private final StandardStreams streams;
    private volatile Magics magics;
    private volatile CodeAssist assist;

    private JavaKernel() {
        streams = StandardStreams.install(router);
        Display.sink(new RouterDisplaySink());
        Comm.publisher(router::target);
        Thread init = new Thread(this::initialize, "skiff-kernel-init");
        init.setDaemon(true);
        init.start();
    }

    /** Replaces the standard streams with the cells' and starts JShell in the background. */
    public static JavaKernel start() {
        return new JavaKernel();
    }

    private void initialize() {
        try {
            Evaluator started = Evaluator.start(streams.originalErr());
            List<String> startupImports = StartupImports.all();
            for (String line : startupImports) {
                var result = started.run(line, "[startup]");
                if (!result.isOk()) {
                    LOG.warn("Startup import {} failed: {}", line, result.evalue());
                }
            }
            List<String> skiffTypes = StartupImports.skiffTypes();
            ClassLoader cellLoader = started.classes().loader();
            started.onPackageImport(packageName -> StartupImports.shadowing(skiffTypes, packageName, cellLoader));
            App.setCodeHost(new NotebookCodeHost(started.classes()));
            magics = new Magics(started, groovy);
            assist = new CodeAssist(started);
            evaluator.complete(started);
            LOG.info("JShell is ready with {} startup imports", startupImports.size());
            history.load();
        } catch (RuntimeException | Error e) {
            LOG.error("JShell failed to start", e);
            evaluator.completeExceptionally(e);
        }
    }

    private Evaluator evaluator() {
        try {
            return evaluator.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for JShell to start", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("JShell failed to start: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public ObjectNode kernelInfo(KernelContext context) {
        return KernelInfo.reply();
    }

    @Override
    public ObjectNode execute(ObjectNode content, KernelContext context) {
        Evaluator started = evaluator();
        return runner.execute(content, context, started, groovy, magics);
    }

    @Override
    public ObjectNode complete(ObjectNode content, KernelContext context) {
        String code = content.path("code").asText("");
        int cursor = Positions.toIndex(code, content.path("cursor_pos").asInt(code.codePointCount(0, code.length())));
        evaluator();
        CodeAssist.Completion completion = MagicCompletion.complete(code, cursor);
        if (completion == null) {
            completion = assist.complete(code, cursor);
        }
        ObjectNode reply = Replies.ok();
        ArrayNode matches = reply.putArray("matches");
        completion.matches().forEach(matches::add);
        reply.put("cursor_start", Positions.toCodePoints(code, completion.start()));
        reply.put("cursor_end", Positions.toCodePoints(code, completion.end()));
        reply.putObject("metadata");
        return reply;
    }

    @Override
    public ObjectNode inspect(ObjectNode content, KernelContext context) {
        String code = content.path("code").asText("");
        int cursor = Positions.toIndex(code, content.path("cursor_pos").asInt(code.codePointCount(0, code.length())));
        evaluator();
        List<String> docs = assist.documentation(code, cursor, content.path("detail_level").asInt(0) > 0);
        ObjectNode reply = Replies.ok();
        reply.put("found", !docs.isEmpty());
        ObjectNode data = reply.putObject("data");
        if (!docs.isEmpty()) {
            data.put("text/plain", String.join("\n\n", docs));
        }
        reply.putObject("metadata");
        return reply;
    }

    @Override
    public ObjectNode isComplete(ObjectNode content, KernelContext context) {
        evaluator();
        Magics.Cell cell;
        try {
            cell = Magics.parse(content.path("code").asText(""));
        } catch (MagicException e) {
            ObjectNode reply = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            reply.put("status", "invalid");
            return reply;
        }
        CodeAssist.Readiness readiness;
        if (Magics.GROOVY.equals(cell.cellMagic())) {
            // A lone %%groovy line waits for the Groovy code after it.
            boolean complete = !cell.code().isBlank() && GroovyCells.isComplete(cell.code());
            readiness = complete ? new CodeAssist.Readiness("complete", "")
                    : new CodeAssist.Readiness("incomplete", cell.code().isBlank() ? "" : GROOVY_INDENT);
        } else {
            readiness = assist.isComplete(cell.code());
        }
        ObjectNode reply = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        reply.put("status", readiness.status());
        if (readiness.status().equals("incomplete")) {
            reply.put("indent", readiness.indent());
        }
        return reply;
    }

    @Override
    public ObjectNode history(ObjectNode content, KernelContext context) {
        ObjectNode reply = Replies.ok();
        reply.set("history", history.query(content));
        return reply;
    }

    @Override
    public ObjectNode commInfo(ObjectNode content, KernelContext context) {
        ObjectNode reply = Replies.ok();
        reply.set("comms", comms.info(content));
        return reply;
    }

    @Override
    public void commOpen(ObjectNode content, KernelContext context) {
        comms.open(content, context);
    }

    @Override
    public void commMsg(ObjectNode content, KernelContext context) {
        comms.message(content);
    }

    @Override
    public void commClose(ObjectNode content, KernelContext context) {
        comms.close(content);
    }

    @Override
    public void interrupt(KernelContext context) {
        Evaluator started = evaluator.getNow(null);
        if (started != null) {
            if (started.isRunning()) {
                LOG.info("Interrupting the running cell");
            }
            started.interrupt();
        }
        groovy.interrupt();
    }

    @Override
    public void shutdown(boolean restart, KernelContext context) {
        LOG.info("Shutdown requested (restart={})", restart);
        interrupt(context);
        router.close();
    }

    /** Publishes displays under the current execute request, after its pending stream output. */
    private final class RouterDisplaySink implements DisplaySink {
        @Override
        public void display(ObjectNode data, String displayId, boolean update) {
            KernelContext context = requireContext();
            router.flush();
            ObjectNode transientData = null;
            if (displayId != null) {
                transientData = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
                transientData.put("display_id", displayId);
            }
            if (update) {
                context.updateDisplayData(data, null, transientData);
            } else {
                context.displayData(data, null, transientData);
            }
        }

        @Override
        public void page(ObjectNode data) {
            runner.addPayload(data);
        }

        @Override
        public void clearOutput(boolean wait) {
            KernelContext context = requireContext();
            router.flush();
            context.clearOutput(wait);
        }

        private KernelContext requireContext() {
            KernelContext context = router.target();
            if (context == null) {
                throw new IllegalStateException("no cell has run yet, so there is nowhere to display");
            }
            return context;
        }
    }

    PrintStream originalErr() {
        return streams.originalErr();
    }
}
