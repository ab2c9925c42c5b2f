package dev.weft.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesUpToTheCap() {
        Backoff b = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30));
        assertThat(b.delay(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(b.delay(2)).isEqualTo(Duration.ofMillis(400));
        assertThat(b.delay(5)).isEqualTo(Duration.ofMillis(3200));
        assertThat(b.delay(8)).isEqualTo(Duration.ofMillis(25600));
        assertThat(b.delay(9)).isEqualTo(Duration.ofSeconds(30));
        assertThat(b.delay(Long.MAX_VALUE)).isEqualTo(Duration.ofSeconds(30));
        assertThat(b.delay(0)).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readinessSummaryNamesWhatIsMissing() {
        Readiness r = new Readiness(Readiness.Part.ok("10.42.3.0/24"), Readiness.Part.waiting("creating flannel.1"),
                Readiness.Part.waiting("written after the device"));
        assertThat(r.ready()).isFalse();
        assertThat(r.summary()).isEqualTo("not ready: device: creating flannel.1; subnet.env: written after the device");
        Readiness ok = new Readiness(Readiness.Part.ok("10.42.3.0/24"), Readiness.Part.ok("flannel.1"), Readiness.Part.ok("/run/flannel/subnet.env"));
        assertThat(ok.ready()).isTrue();
        assertThat(ok.summary()).startsWith("ready: lease 10.42.3.0/24");
        assertThat(Readiness.starting().ready()).isFalse();
    }
}
