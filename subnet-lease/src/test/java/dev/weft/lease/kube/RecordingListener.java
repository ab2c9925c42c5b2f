package dev.weft.lease.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/** A {@link PeerListener} that records every call, plus a bounded wait for conditions. */
final class RecordingListener implements PeerListener {
  final AtomicInteger changes = new AtomicInteger();
  final List<Map.Entry<String, String>> invalid = new CopyOnWriteArrayList<>();
  final List<Boolean> states = new CopyOnWriteArrayList<>();

  @Override
  public void peersChanged() {
    changes.incrementAndGet();
  }

  @Override
  public void invalidPeer(String node, String reason) {
    invalid.add(Map.entry(node, reason));
  }

  @Override
  public void watchState(boolean connected, String detail) {
    states.add(connected);
  }

  /** Polls every 20 ms until the condition holds; fails after {@code timeout}. */
  static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("timed out waiting for: " + what).isLessThan(end);
      Thread.sleep(20);
    }
  }
}
