package dev.weft.reconcile;

import java.time.Duration;
import java.util.Optional;

/** Told to a {@link PassObserver} after each pass: for metrics, never for control flow. */
public record PassReport(PassContext context, Duration duration, Optional<Throwable> failure) {
    /** True when the pass returned normally. */
    public boolean ok() {
        return failure.isEmpty();
    }
}
