package dev.weft.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import dev.weft.reconcile.PassContext;
import dev.weft.reconcile.PassReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Prometheus text that /metrics serves: names, labels and values. */
class WeftMetricsTest {
    final WeftMetrics m = new WeftMetrics();

    @AfterEach
    void close() {
        m.close();
    }

    @Test
    void everyWeftMeterIsExposedWithTheWeftPrefix() {
        String text = m.scrape();
        assertThat(text).contains(
                "# TYPE weft_peers_desired gauge", "weft_peers_desired 0.0",
                "weft_peers_programmed 0.0", "weft_peers_invalid 0.0", "weft_ready 0.0",
                "weft_lease_state{state=\"acquiring\"} 1.0", "weft_lease_state{state=\"acquired\"} 0.0");
    }

    @Test
    void jvmBasicsAreExposed() {
        assertThat(m.scrape()).contains("jvm_memory_used_bytes", "jvm_threads_live_threads", "process_uptime_seconds",
                "jvm_classes_loaded_classes", "jvm_gc_");
    }

    @Test
    void peerGaugesFollowTheLastPass() {
        m.peers(999, 997, 3);
        assertThat(m.scrape()).contains("weft_peers_desired 999.0", "weft_peers_programmed 997.0", "weft_peers_invalid 3.0");
    }

    @Test
    void netlinkOperationsAreCountedByTypeAndResult() {
        m.netlinkOperation("neigh_replace", "ok");
        m.netlinkOperation("neigh_replace", "ok");
        m.netlinkOperation("route_add", "eexist");
        String text = m.scrape();
        assertThat(text).contains("weft_netlink_operations_total{op=\"neigh_replace\",result=\"ok\"} 2.0",
                "weft_netlink_operations_total{op=\"route_add\",result=\"eexist\"} 1.0");
    }

    @Test
    void unexpectedLabelValuesAreFoldedSoSeriesStayBounded() {
        m.netlinkOperation("Route Add; DROP", "ok");
        m.watchRestarted("nodes/with/slashes");
        assertThat(m.scrape()).contains("weft_netlink_operations_total{op=\"other\",result=\"ok\"} 1.0",
                "weft_watch_restarts_total{resource=\"other\"} 1.0").doesNotContain("DROP");
    }

    @Test
    void reconcileDurationIsATimerWithResultAndBuckets() {
        m.reconcileObserver().passFinished(new PassReport(new PassContext(1, Set.of("start"), 0), Duration.ofMillis(5), Optional.empty()));
        m.reconcile(Duration.ofMillis(50), false);
        String text = m.scrape();
        assertThat(text).contains("weft_reconcile_duration_seconds_count{result=\"ok\"} 1",
                "weft_reconcile_duration_seconds_count{result=\"error\"} 1",
                "weft_reconcile_duration_seconds_bucket{result=\"ok\",le=\"0.01\"} 1");
    }

    @Test
    void repairsLeaseStateWatchRestartsAndReady() {
        m.repairs(RepairKind.ROUTE, 3);
        m.repairs(RepairKind.DEVICE, 0);
        m.leaseState(LeaseState.API_UNREACHABLE);
        m.watchRestarted("nodes");
        m.ready(true);
        String text = m.scrape();
        assertThat(text).contains("weft_repairs_total{kind=\"route\"} 3.0", "weft_watch_restarts_total{resource=\"nodes\"} 1.0",
                "weft_lease_state{state=\"api_unreachable\"} 1.0", "weft_lease_state{state=\"acquiring\"} 0.0", "weft_ready 1.0");
        assertThat(text).doesNotContain("kind=\"device\"");
    }
}
