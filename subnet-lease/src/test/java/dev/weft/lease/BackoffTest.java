package dev.weft.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void doublesWithJitterUpToTheCapAndResets() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), new SplittableRandom(1));
    long[] upper = {100, 200, 400, 800, 1000, 1000, 1000};
    for (long u : upper) {
      long d = b.nextDelay().toMillis();
      assertThat(d).isBetween(u / 2, u);
    }
    assertThat(b.failures()).isEqualTo(upper.length);
    b.reset();
    assertThat(b.failures()).isZero();
    assertThat(b.nextDelay().toMillis()).isBetween(50L, 100L);
  }

  @Test
  void neverOverflowsAfterManyFailures() {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), new SplittableRandom(2));
    for (int i = 0; i < 10_000; i++) {
      assertThat(b.nextDelay()).isBetween(Duration.ofMillis(500), Duration.ofSeconds(30));
    }
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), new SplittableRandom()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new SplittableRandom()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
