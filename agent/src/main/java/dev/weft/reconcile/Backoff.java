package dev.weft.reconcile;

import java.time.Duration;
import java.util.Objects;

/**
 * Exponential backoff without jitter: {@code initial}, doubled per consecutive failure, capped
 * at {@code max}. No jitter because each node has exactly one loop: there is no herd to spread.
 */
public record Backoff(Duration initial, Duration max) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30));

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + ", " + max);
        }
    }

    /** The delay after the {@code failures}-th consecutive failure (1-based). */
    public Duration delay(long failures) {
        if (failures <= 1) {
            return initial;
        }
        long shift = Math.min(failures - 1, 40);
        long maxNanos = max.toNanos();
        long nanos = initial.toNanos();
        // Doubling stops at the cap; the bound on shift also keeps the product from overflowing.
        for (long i = 0; i < shift && nanos < maxNanos; i++) {
            nanos *= 2;
        }
        return Duration.ofNanos(Math.min(nanos, maxNanos));
    }
}
