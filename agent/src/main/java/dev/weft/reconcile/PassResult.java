package dev.weft.reconcile;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a pass returns: the state to publish and, optionally, when to run again even if nothing
 * triggers (e.g. the API was unreachable, retry in 2 s).
 */
public record PassResult<S>(S state, Optional<Duration> requeue) {
    public PassResult {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(requeue, "requeue");
        if (requeue.isPresent() && requeue.get().isNegative()) {
            throw new IllegalArgumentException("negative requeue delay " + requeue.get());
        }
    }

    /** Converged (or nothing more to do until a trigger or the resync timer). */
    public static <S> PassResult<S> done(S state) {
        return new PassResult<>(state, Optional.empty());
    }

    /** Run again after {@code delay} unless a trigger comes first. */
    public static <S> PassResult<S> requeueAfter(S state, Duration delay) {
        return new PassResult<>(state, Optional.of(delay));
    }
}
