package dev.skiff;

import dev.skiff.engine.Ids;
import dev.skiff.engine.InputTask;
import dev.skiff.engine.Outcome;
import dev.skiff.engine.PoolSpec;
import dev.skiff.serial.Payloads;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A function registered in an {@link App}, or a method of a {@link Cls}: run it in a worker with
 * {@link #remote}, {@link #spawn} or {@link #map}, or in this JVM with {@link #local}. Thread-safe.
 *
 * <p>Arguments and results travel by serialization: each must be null, a boxed primitive, a
 * String or {@link java.io.Serializable}. An argument that cannot be serialized is rejected with an
 * {@link InvalidException} before anything is sent.
 */
public final class Function<R> {
    /** Runs a body in this JVM for {@link #local}. */
    interface LocalInvoker {
        Object invoke(Object[] args) throws Exception;
    }

    private static final int SUBMIT_CHUNK = 1024;

    private final App app;
    private final String name;
    private final String method;
    private final PoolSpec spec;
    private final int arity;
    private final ClassLoader loader;
    private final LocalInvoker local;

    Function(App app, String name, String method, PoolSpec spec, int arity, ClassLoader loader, LocalInvoker local) {
        this.app = app;
        this.name = name;
        this.method = method;
        this.spec = spec;
        this.arity = arity;
        this.loader = loader;
        this.local = local;
    }

    /** Returns the function deployed as {@code name} in app {@code appName} under the Skiff home. */
    public static <R> Function<R> fromName(String appName, String name) {
        return Deployments.function(appName, name);
    }

    /** Runs the function in a worker and returns its result, throwing the remote exception on failure. */
    public R remote(Object... args) {
        return start(args, "remote", false).get();
    }

    /** Runs the body in this JVM, on the calling thread. */
    @SuppressWarnings("unchecked")
    public R local(Object... args) {
        Object[] arguments = checkArguments(args, "local");
        try {
            return (R) local.invoke(arguments);
        } catch (Exception e) {
            throw Outcomes.<RuntimeException>sneaky(e);
        }
    }

    /** Starts the function in a worker and returns at once with a handle to its result. */
    public FunctionCall<R> spawn(Object... args) {
        return start(args, "spawn", true);
    }

    private FunctionCall<R> start(Object[] args, String operation, boolean findable) {
        Object[] arguments = checkArguments(args, operation);
        byte[] payload = Payloads.encodeArguments(arguments, displayName() + "()");
        Engine engine = app.engine();
        String callId = Ids.newId("fc");
        InputTask task = engine.scheduler().newTask(spec, method, payload, OutputSink.current(), callId);
        FunctionCall<R> call = new FunctionCall<>(callId, task, engine, loader, findable);
        engine.scheduler().submit(List.of(task));
        return call;
    }

    /** Runs the function once per input, in parallel, and returns the results in input order. */
    public List<R> map(Iterable<?> inputs) {
        return map(inputs.iterator(), MapOptions.defaults());
    }

    /**
     * Runs the function once per input with the given options. With {@code returnExceptions} the
     * list contains each failed input's exception in its slot, so its element type is {@code Object}.
     */
    public <T> List<T> map(Iterable<?> inputs, MapOptions options) {
        return map(inputs.iterator(), options);
    }

    /** Same as {@link #map(Iterable, MapOptions)} over an iterator, which is read once. */
    public <T> List<T> map(Iterator<?> inputs, MapOptions options) {
        return run(new Iterator<Object[]>() {
            @Override
            public boolean hasNext() {
                return inputs.hasNext();
            }

            @Override
            public Object[] next() {
                return new Object[] {inputs.next()};
            }
        }, options);
    }

    /** Runs the function once per argument tuple, spreading each tuple as the arguments. */
    public List<R> starmap(Iterable<? extends List<?>> tuples) {
        return starmap(tuples, MapOptions.defaults());
    }

    /** Same as {@link #starmap(Iterable)} with options; see {@link #map(Iterable, MapOptions)}. */
    public <T> List<T> starmap(Iterable<? extends List<?>> tuples, MapOptions options) {
        Iterator<? extends List<?>> iterator = tuples.iterator();
        return run(new Iterator<Object[]>() {
            @Override
            public boolean hasNext() {
                return iterator.hasNext();
            }

            @Override
            public Object[] next() {
                List<?> tuple = iterator.next();
                if (tuple == null) {
                    throw new InvalidException("starmap of " + displayName() + " got a null tuple; "
                            + "give a list of arguments for each call.");
                }
                return tuple.toArray();
            }
        }, options);
    }

    /** Runs the function once per input and discards the results; the first failure is raised. */
    public void forEach(Iterable<?> inputs) {
        map(inputs.iterator(), MapOptions.defaults().withOrderOutputs(false));
    }

    /** Returns the function name, or {@code Class.method} for a class method. */
    public String name() {
        return displayName();
    }

    public App app() {
        return app;
    }

    @Override
    public String toString() {
        return "Function[" + app.name() + "/" + displayName() + "]";
    }

    private String displayName() {
        return method == null ? name : name + "." + method;
    }

    private Object[] checkArguments(Object[] args, String operation) {
        Object[] arguments = args == null ? new Object[] {null} : args;
        if (arity >= 0 && arguments.length != arity) {
            throw new InvalidException(displayName() + " takes " + arity + (arity == 1 ? " argument" : " arguments")
                    + " but " + operation + " was called with " + arguments.length + ".");
        }
        return arguments;
    }

    @SuppressWarnings("unchecked")
    private <T> List<T> run(Iterator<Object[]> inputs, MapOptions options) {
        Engine engine = app.engine();
        OutputSink sink = OutputSink.current();
        List<InputTask> tasks = new ArrayList<>();
        LinkedBlockingQueue<InputTask> completed = options.orderOutputs() ? null : new LinkedBlockingQueue<>();
        List<InputTask> chunk = new ArrayList<>(SUBMIT_CHUNK);
        try {
            while (inputs.hasNext()) {
                Object[] arguments = checkArguments(inputs.next(), "map");
                byte[] payload = Payloads.encodeArguments(arguments, displayName() + "() in map, input " + tasks.size());
                InputTask task = engine.scheduler().newTask(spec, method, payload, sink, null);
                if (completed != null) {
                    task.outcome().thenRun(() -> completed.add(task));
                }
                tasks.add(task);
                chunk.add(task);
                if (chunk.size() == SUBMIT_CHUNK) {
                    engine.scheduler().submit(chunk);
                    chunk.clear();
                }
            }
        } catch (Throwable e) {
            // Catches checked exceptions too, which Groovy or Kotlin iterators can throw undeclared.
            cancelAll(engine, tasks);
            throw Outcomes.<RuntimeException>sneaky(e);
        }
        if (!chunk.isEmpty()) {
            engine.scheduler().submit(chunk);
        }
        if (tasks.isEmpty()) {
            return Collections.emptyList();
        }
        reportProgress(sink, tasks);
        List<Object> results = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            InputTask task = completed == null ? tasks.get(i) : take(completed);
            Outcome outcome = FunctionCall.await(task.outcome(), displayName() + " map");
            if (options.returnExceptions() && outcome.kind() != Outcome.Kind.VALUE) {
                results.add(Outcomes.exception(outcome, loader));
                continue;
            }
            try {
                results.add(Outcomes.valueOrThrow(outcome, loader, displayName() + " input " + task.label()));
            } catch (Throwable e) {
                cancelAll(engine, tasks);
                throw e;
            }
        }
        reportFinished(sink, tasks);
        return (List<T>) results;
    }

    /** Reports the map's progress to {@code sink} now and whenever an input ends. */
    private void reportProgress(OutputSink sink, List<InputTask> tasks) {
        int total = tasks.size();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        sink.mapProgress(displayName(), 0, 0, total);
        for (InputTask task : tasks) {
            task.outcome().whenComplete((outcome, error) -> {
                int failures = error != null || outcome.kind() != Outcome.Kind.VALUE
                        ? failed.incrementAndGet() : failed.get();
                sink.mapProgress(displayName(), done.incrementAndGet(), failures, total);
            });
        }
    }

    /** Reports the final counts before the map returns, since completion callbacks may still be running. */
    private void reportFinished(OutputSink sink, List<InputTask> tasks) {
        int failed = 0;
        for (InputTask task : tasks) {
            if (task.outcome().join().kind() != Outcome.Kind.VALUE) {
                failed++;
            }
        }
        sink.mapProgress(displayName(), tasks.size(), failed, tasks.size());
    }

    private static InputTask take(LinkedBlockingQueue<InputTask> completed) {
        try {
            return completed.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SkiffException("Interrupted while waiting for map results", e);
        }
    }

    private static void cancelAll(Engine engine, List<InputTask> tasks) {
        for (InputTask task : tasks) {
            if (!task.outcome().isDone()) {
                engine.scheduler().cancel(task, false);
            }
        }
    }

    PoolSpec spec() {
        return spec;
    }

    String method() {
        return method;
    }

    int arity() {
        return arity;
    }
}
