package dev.skiff;

import dev.skiff.engine.InputTask;
import dev.skiff.engine.Outcome;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A spawned call of a {@link Function}: a handle to wait for, poll or cancel. Thread-safe.
 *
 * <p>A call's exceptions reach the caller as the user's original type when this JVM can load it
 * (checked exceptions included, although {@code get} does not declare them), otherwise as
 * {@link RemoteException}; Skiff's own failures are {@link FunctionTimeoutException},
 * {@link WorkerDiedException} and {@link InputCancellationException}.
 */
public final class FunctionCall<R> {
    /**
     * Calls by id for {@link #fromId}: the call itself while it runs, then a weak reference, so a
     * finished call's result is kept only as long as the caller keeps the call.
     */
    private static final Map<String, Object> CALLS = new ConcurrentHashMap<>();

    private final String objectId;
    private final InputTask task;
    private final Engine engine;
    private final ClassLoader loader;

    FunctionCall(String objectId, InputTask task, Engine engine, ClassLoader loader, boolean findable) {
        this.objectId = objectId;
        this.task = task;
        this.engine = engine;
        this.loader = loader;
        if (findable) {
            CALLS.put(objectId, this);
            task.outcome().whenComplete((outcome, error) -> CALLS.replace(objectId, this, new WeakReference<>(this)));
        }
    }

    /** Returns the call with this id, spawned in this JVM on an engine that is still open. */
    public static FunctionCall<?> fromId(String objectId) {
        Object entry = objectId == null ? null : CALLS.get(objectId);
        FunctionCall<?> call = entry instanceof WeakReference<?> reference ? (FunctionCall<?>) reference.get()
                : (FunctionCall<?>) entry;
        if (call == null) {
            throw new NotFoundException("Function call " + objectId + " not found: ids are valid in the JVM that "
                    + "spawned the call until its engine closes, and a finished call only while something still "
                    + "refers to it.");
        }
        return call;
    }

    /**
     * Waits for every call and returns their results in argument order. The first failure to
     * happen is raised at once and the calls still running are cancelled.
     */
    @SafeVarargs
    public static <T> List<T> gather(FunctionCall<? extends T>... calls) {
        return gather(List.of(calls));
    }

    /** Same as {@link #gather(FunctionCall[])} for a list of calls. */
    public static <T> List<T> gather(List<? extends FunctionCall<? extends T>> calls) {
        CompletableFuture<FunctionCall<?>> firstFailure = new CompletableFuture<>();
        List<CompletableFuture<Outcome>> outcomes = new ArrayList<>(calls.size());
        for (FunctionCall<? extends T> call : calls) {
            CompletableFuture<Outcome> outcome = call.task.outcome();
            outcome.thenAccept(o -> {
                if (o.kind() != Outcome.Kind.VALUE) {
                    firstFailure.complete(call);
                }
            });
            outcomes.add(outcome);
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new));
        await(CompletableFuture.anyOf(all, firstFailure), "gather");
        if (firstFailure.isDone()) {
            FunctionCall<?> failed = firstFailure.join();
            for (FunctionCall<? extends T> call : calls) {
                if (call != failed) {
                    call.cancel();
                }
            }
            failed.get();
        }
        List<T> results = new ArrayList<>(calls.size());
        for (FunctionCall<? extends T> call : calls) {
            results.add(call.get());
        }
        return results;
    }

    /** Waits for the result without a time limit. */
    public R get() {
        Outcome outcome = await(task.outcome(), objectId);
        return decode(outcome);
    }

    /**
     * Waits at most {@code timeout} for the result; a zero timeout checks once. A timeout does not
     * cancel the call.
     *
     * @throws TimeoutException when the call has not finished in time
     */
    public R get(Duration timeout) throws TimeoutException {
        if (timeout.isNegative()) {
            throw new InvalidException("Invalid timeout " + timeout + ": it must be zero or positive.");
        }
        Outcome outcome;
        if (timeout.isZero()) {
            outcome = task.outcome().getNow(null);
            if (outcome == null) {
                throw new TimeoutException("Function call " + objectId + " has not finished.");
            }
        } else {
            long nanos;
            try {
                nanos = timeout.toNanos();
            } catch (ArithmeticException e) {
                nanos = Long.MAX_VALUE;
            }
            try {
                outcome = task.outcome().get(nanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SkiffException("Interrupted while waiting for function call " + objectId, e);
            } catch (ExecutionException e) {
                throw new SkiffException("Function call " + objectId + " failed inside Skiff", e.getCause());
            } catch (TimeoutException e) {
                throw new TimeoutException("Function call " + objectId + " did not finish within "
                        + timeout.toMillis() + " ms.");
            }
        }
        return decode(outcome);
    }

    /** Cancels the call, interrupting it if it runs; the worker keeps serving other inputs. */
    public void cancel() {
        cancel(false);
    }

    /**
     * Cancels the call. With {@code terminateContainers} the worker running it is killed, and its
     * other inputs go back to the queue. A cancelled call is never retried.
     */
    public void cancel(boolean terminateContainers) {
        if (engine.isClosed()) {
            // Closing the engine already ended every call it ran.
            return;
        }
        engine.scheduler().cancel(task, terminateContainers);
    }

    /** Returns true once the call has a result, failed for good, or was cancelled. */
    public boolean isFinished() {
        return task.outcome().isDone();
    }

    /** Returns the id, such as {@code fc-…}, that {@link #fromId} accepts. */
    public String objectId() {
        return objectId;
    }

    @Override
    public String toString() {
        return "FunctionCall[" + objectId + ", " + task.spec().name() + (isFinished() ? ", finished]" : "]");
    }

    @SuppressWarnings("unchecked")
    private R decode(Outcome outcome) {
        return (R) Outcomes.valueOrThrow(outcome, loader, task.spec().name() + " call " + objectId);
    }

    static void forgetEngine(Engine engine) {
        CALLS.values().removeIf(entry -> {
            Object call = entry instanceof WeakReference<?> reference ? reference.get() : entry;
            return call == null || ((FunctionCall<?>) call).engine == engine;
        });
    }

    static <V> V await(CompletableFuture<V> future, String description) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SkiffException("Interrupted while waiting for " + description, e);
        } catch (ExecutionException e) {
            throw new SkiffException("Waiting for " + description + " failed inside Skiff", e.getCause());
        }
    }
}
