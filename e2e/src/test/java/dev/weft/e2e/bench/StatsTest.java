package dev.weft.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(Stats.median(List.of(3, 1, 2))).isEqualTo(2.0);
        assertThat(Stats.median(List.of(4, 1, 2, 3))).isEqualTo(2.5);
    }

    @Test
    void nearestRankPercentiles() {
        List<Integer> hundred = java.util.stream.IntStream.rangeClosed(1, 100).boxed().toList();
        assertThat(Stats.percentile(hundred, 50)).isEqualTo(50.0);
        assertThat(Stats.percentile(hundred, 99)).isEqualTo(99.0);
        assertThat(Stats.percentile(hundred, 100)).isEqualTo(100.0);
        assertThat(Stats.percentile(List.of(7), 99)).isEqualTo(7.0);
        assertThatThrownBy(() -> Stats.percentile(List.of(), 50)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Stats.percentile(hundred, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void medianWithSpread() {
        assertThat(Stats.medianSpread(List.of(2.0, 1.0, 4.0), "%.1f", " ms")).isEqualTo("2.0 ms (1.0–4.0, n=3)");
        assertThat(Stats.medianSpread(List.of(2.0), "%.1f", " ms")).isEqualTo("2.0 ms");
    }

    @Test
    void tableHasMachineDateAndOneLinePerRow() {
        String t = Bench.render(Scale.SMOKE, ZonedDateTime.of(2026, 11, 21, 10, 0, 0, 0, ZoneOffset.UTC), "box",
                Duration.ofSeconds(42), List.of(
                        Row.checked("B1", "program", "1 ms", "ip 2 ms", "0.50", "≤ 1.0", true),
                        Row.checked("B6", "ADD+DEL", "9 ms", "bridge 3 ms", "3.00", "≤ 2.0", false)));
        assertThat(t).startsWith("weft bench (smoke sizes), 2026-11-21 10:00 UTC, 42 s")
                .contains("Machine: box")
                .contains("| B1 | program | 1 ms | ip 2 ms | 0.50 | ≤ 1.0 | met |")
                .contains("| B6 | ADD+DEL | 9 ms | bridge 3 ms | 3.00 | ≤ 2.0 | **missed** |");
    }

    @Test
    void cellsMayNotBreakTheTable() {
        assertThatThrownBy(() -> Row.info("B1", "a|b", "1", "", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Row.info("B1", "a\nb", "1", "", "")).isInstanceOf(IllegalArgumentException.class);
    }
}
