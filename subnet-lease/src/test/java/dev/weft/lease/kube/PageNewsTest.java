package dev.weft.lease.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PageNewsTest {
  private static final long MS = 1_000_000L;

  @Test
  void aQuickListIsNewsOnlyAtItsEnd() {
    PageNews news = new PageNews(Duration.ofSeconds(1), 5_000 * MS);
    for (long t = 5_100; t < 6_000; t += 100) {
      assertThat(news.due(t * MS)).as("page at %d ms", t - 5_000).isFalse();
    }
  }

  @Test
  void aSlowListIsNewsEveryInterval() {
    PageNews news = new PageNews(Duration.ofSeconds(1), 0);
    assertThat(news.due(400 * MS)).isFalse();
    assertThat(news.due(1_000 * MS)).isTrue();
    assertThat(news.due(1_900 * MS)).as("counted from the last news").isFalse();
    assertThat(news.due(2_050 * MS)).isTrue();
    assertThat(news.due(9_000 * MS)).isTrue();
    assertThat(news.due(9_001 * MS)).isFalse();
  }

  @Test
  void zeroMakesEveryPageNews() {
    PageNews news = new PageNews(Duration.ZERO, 0);
    assertThat(news.due(0)).isTrue();
    assertThat(news.due(1)).isTrue();
    assertThatThrownBy(() -> new PageNews(Duration.ofMillis(-1), 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
