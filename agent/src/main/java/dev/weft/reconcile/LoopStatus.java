package dev.weft.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * An immutable snapshot of the loop, replaced after every pass: health, metrics and
 * {@code weft status} read it without touching the loop's thread.
 *
 * @param state               what the last successful pass published; empty before the first
 * @param passes              passes run so far, failed ones included
 * @param failures            passes that threw
 * @param consecutiveFailures failures since the last successful pass
 * @param lastError           the last failure's one-line description, cleared by a success
 * @param lastPassFinished    wall-clock end of the last pass
 * @param lastPassDuration    how long the last pass took
 * @param running             false once the loop has stopped
 */
public record LoopStatus<S>(Optional<S> state, long passes, long failures, long consecutiveFailures,
                            Optional<String> lastError, Optional<Instant> lastPassFinished,
                            Optional<Duration> lastPassDuration, boolean running) {
    static <S> LoopStatus<S> initial() {
        return new LoopStatus<>(Optional.empty(), 0, 0, 0, Optional.empty(), Optional.empty(), Optional.empty(), true);
    }

    LoopStatus<S> stopped() {
        return new LoopStatus<>(state, passes, failures, consecutiveFailures, lastError, lastPassFinished, lastPassDuration, false);
    }
}
