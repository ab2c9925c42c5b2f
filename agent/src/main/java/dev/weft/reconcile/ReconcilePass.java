package dev.weft.reconcile;

/**
 * One level-triggered reconcile pass: read the whole desired and actual state, write the
 * difference, report the resulting state. Runs only on the loop's thread, so it may own every
 * write without locks. It must not sleep to back off: it returns
 * {@link PassResult#requeueAfter(Object, java.time.Duration)} instead, and the loop comes back.
 * Throwing is allowed; the loop logs it, counts it and retries with exponential backoff.
 *
 * @param <S> the immutable state a pass publishes (readiness, peer counts...)
 */
@FunctionalInterface
public interface ReconcilePass<S> {
    PassResult<S> run(PassContext context) throws Exception;
}
