package dev.weft.lease;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter for requeueing: the caller asks for the next delay after a failure and schedules
 * itself, it never sleeps here. Delays double from {@code initial} to {@code max}; each is spread over
 * [delay/2, delay] so that many agents failing together (an API server restart) do not retry in lock step.
 * Not thread-safe: one owner, typically the single reconcile thread.
 */
public final class Backoff {
  private final Duration initial;
  private final Duration max;
  private final RandomGenerator random;
  private int failures;

  public Backoff(Duration initial, Duration max, RandomGenerator random) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + " and " + max);
    }
    this.initial = initial;
    this.max = max;
    this.random = Objects.requireNonNull(random, "random");
  }

  /** 1 s doubling to 30 s: an API server outage is retried at least twice a minute, never in a tight loop. */
  public static Backoff standard() {
    return new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), RandomGenerator.getDefault());
  }

  /** Records a failure and returns how long to wait before the next attempt. */
  public Duration nextDelay() {
    long cap = max.toMillis();
    long delay = initial.toMillis();
    for (int i = 0; i < failures && delay < cap; i++) {
      delay *= 2;
    }
    delay = Math.min(cap, delay);
    failures++;
    long half = delay / 2;
    return Duration.ofMillis(half + random.nextLong(delay - half + 1));
  }

  /** Forgets past failures after a success. */
  public void reset() {
    failures = 0;
  }

  /** Consecutive failures since the last {@link #reset()}. */
  public int failures() {
    return failures;
  }
}
