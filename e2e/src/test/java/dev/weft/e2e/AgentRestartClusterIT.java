package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import dev.weft.e2e.cluster.Cluster;
import dev.weft.e2e.cluster.ClusterSpec;
import dev.weft.e2e.cluster.Node;
import dev.weft.e2e.cluster.Pod;
import dev.weft.testing.KernelTest;
import org.junit.jupiter.api.Test;

/** Scenario 4: restarting one agent does not drop a single packet between other nodes' pods, nor to its own. */
@KernelTest
class AgentRestartClusterIT {

    @Test
    void restartLosesNoPackets() throws Exception {
        try (Cluster c = Cluster.start(ClusterSpec.forTest(3, 1))) {
            Node restarted = c.node(1);
            Pod p1 = c.podsOn(c.node(1)).getFirst();
            Pod p2 = c.podsOn(c.node(2)).getFirst();
            Pod p3 = c.podsOn(c.node(3)).getFirst();
            // 400 pings at 20 ms = 8 s, long enough to cover a stop and a start to ready.
            try (Pinger across = Pinger.start(p2, p3, 400);
                 Pinger into = Pinger.start(p3, p1, 400)) {
                Thread.sleep(500);
                assertThat(restarted.stopAgent(Duration.ofSeconds(5))).as("exit code after SIGTERM").isZero();
                restarted.startAgent();
                restarted.awaitReady(Cluster.READY_TIMEOUT);
                for (Pinger p : new Pinger[] {across, into}) {
                    long[] r = p.finish(30);
                    System.out.printf("%s: %d sent, %d received%n", p.label(), r[0], r[1]);
                    assertThat(r[0]).as("%s sent", p.label()).isEqualTo(400);
                    assertThat(r[1]).as("%s replies (zero loss)", p.label()).isEqualTo(r[0]);
                }
            }
        }
    }
}
