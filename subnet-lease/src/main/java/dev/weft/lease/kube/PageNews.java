package dev.weft.lease.kube;

import java.time.Duration;

/**
 * When the pages of one Node list are news for the data plane. A list that ends within {@code every} is announced
 * once, at its end: one pass then programs all its peers, where a pass per page would dump and diff the kernel's
 * entries once per page (at 5000 peers, ten passes of a growing table: 0.4 s more to converge, measured by
 * {@code ./dev footprint}). A longer list is announced every {@code every}, so a slow API server still lets the data
 * plane take the peers read so far. Not thread-safe: one list, one thread.
 */
final class PageNews {
  private final long everyNanos;
  private long last;

  /** Pacing for a list that started at {@code startNanos} ({@link System#nanoTime()}). */
  PageNews(Duration every, long startNanos) {
    if (every.isNegative()) {
      throw new IllegalArgumentException("interval must not be negative: " + every);
    }
    this.everyNanos = every.toNanos();
    this.last = startNanos;
  }

  /** True when a page read at {@code nowNanos} is news: {@code every} has passed since the list began or the last news. */
  boolean due(long nowNanos) {
    if (nowNanos - last >= everyNanos) {
      last = nowNanos;
      return true;
    }
    return false;
  }
}
