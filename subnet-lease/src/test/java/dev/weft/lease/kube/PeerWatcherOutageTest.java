package dev.weft.lease.kube;

import static dev.weft.lease.kube.RecordingListener.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The API server goes away for {@code weft.test.outageSeconds} (default 30) while Nodes change; the watcher must
 * keep serving its last snapshot, back off without dying, and come back with exactly what changed meanwhile. The
 * outage is a TCP proxy in front of the mock server dropping every connection, so the server keeps its state.
 */
class PeerWatcherOutageTest {
  private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("weft.test.outageSeconds", 30));
  private static final AnnotationKeys K = TestNodes.KEYS;
  private final MockApi api = new MockApi();
  private final KubernetesClient admin = api.client();
  private final RecordingListener listener = new RecordingListener();
  private TcpCutProxy proxy;
  private PeerWatcher watcher;

  @AfterEach
  void stop() throws Exception {
    api.close(); // before the watcher: see MockApi#close
    if (watcher != null) {
      watcher.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  void survivesAnApiServerOutageAndResumesWithWhatChanged() throws Exception {
    proxy = new TcpCutProxy(api.port());
    admin.nodes().resource(TestNodes.peer("a", "10.42.1.0/24", "198.18.0.2", "aa:bb:cc:dd:ee:02", 1)).create();
    admin.nodes().resource(TestNodes.peer("b", "10.42.2.0/24", "198.18.0.3", "aa:bb:cc:dd:ee:03", 1)).create();
    var options = new PeerWatcher.Options(500, Duration.ofMinutes(5), Duration.ofMillis(200), Duration.ofSeconds(3),
        Optional.empty());
    watcher = new PeerWatcher(api.clientFor("http://127.0.0.1:" + proxy.port(), b -> { }), "self", K, 1, listener, options);
    watcher.start();
    assertThat(watcher.awaitSynced(Duration.ofSeconds(15))).isTrue();
    await(Duration.ofSeconds(10), "watch connected", () -> listener.states.contains(true));
    assertThat(watcher.peers()).containsOnlyKeys("a", "b");

    long start = System.nanoTime();
    proxy.cut();
    await(Duration.ofSeconds(10), "outage noticed", () -> listener.states.contains(false));
    admin.nodes().withName("a").delete();
    admin.nodes().resource(TestNodes.peer("c", "10.42.3.0/24", "198.18.0.4", "aa:bb:cc:dd:ee:04", 1)).create();
    admin.nodes().withName("b").edit(n -> {
      var annotations = new HashMap<>(n.getMetadata().getAnnotations());
      annotations.put(K.publicIp(), "198.18.0.33");
      n.getMetadata().setAnnotations(annotations);
      return n;
    });
    while (System.nanoTime() - start < OUTAGE.toNanos()) {
      assertThat(watcher.peers()).as("the last snapshot stays readable").containsOnlyKeys("a", "b");
      Thread.sleep(250);
    }
    long restartsDuringOutage = watcher.watchRestarts();
    proxy.restore();

    await(Duration.ofSeconds(15), "resumed with the changes", () -> watcher.peers().keySet().equals(Set.of("b", "c"))
        && watcher.peers().get("b").ipv4().orElseThrow().publicIp().getHostAddress().equals("198.18.0.33"));
    await(Duration.ofSeconds(10), "watch reconnected", () -> listener.states.getLast());
    assertThat(listener.states).containsExactly(true, false, true);
    assertThat(restartsDuringOutage).isGreaterThanOrEqualTo(1);
    assertThat(watcher.relists()).isGreaterThanOrEqualTo(2);
    System.out.printf("API outage of %d s: %d watch restarts, %d lists, %d objects read%n", OUTAGE.toSeconds(),
        watcher.watchRestarts(), watcher.relists(), watcher.objectsRead());

    admin.nodes().resource(TestNodes.peer("d", "10.42.4.0/24", "198.18.0.5", "aa:bb:cc:dd:ee:05", 1)).create();
    await(Duration.ofSeconds(10), "watching again", () -> watcher.peers().containsKey("d"));
  }
}
