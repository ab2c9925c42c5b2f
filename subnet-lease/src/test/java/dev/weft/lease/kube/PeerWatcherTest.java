package dev.weft.lease.kube;

import static dev.weft.lease.kube.RecordingListener.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.lease.NetConf;
import dev.weft.lease.PeerInfo;
import dev.weft.net.IpAddresses;
import dev.weft.net.IpPrefix;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeListBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PeerWatcherTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final AnnotationKeys K = TestNodes.KEYS;
  private final MockApi api = new MockApi();
  private final KubernetesClient admin = api.client();
  private final RecordingListener listener = new RecordingListener();
  private PeerWatcher watcher;

  @AfterEach
  void stop() {
    api.close(); // before the watcher: see MockApi#close
    if (watcher != null) {
      watcher.close();
    }
  }

  private void create(Node n) {
    admin.nodes().resource(n).create();
  }

  private static Node withAnnotation(Node n, String key, String value) {
    Map<String, String> a = new HashMap<>(n.getMetadata().getAnnotations());
    a.put(key, value);
    n.getMetadata().setAnnotations(a);
    return n;
  }

  private PeerWatcher start(PeerWatcher.Options options) throws InterruptedException {
    watcher = new PeerWatcher(api.client(), "self", K, 1, listener, options);
    watcher.start();
    assertThat(watcher.awaitSynced(WAIT)).isTrue();
    return watcher;
  }

  private static PeerWatcher.Options fast() {
    return new PeerWatcher.Options(2, Duration.ofMinutes(5), Duration.ofMillis(100), Duration.ofSeconds(1), Optional.empty());
  }

  @Test
  void listsPeersSkipsSelfAndHostileNodesOnce() throws Exception {
    create(TestNodes.peer("self", "10.42.0.0/24", "198.18.0.1", "aa:bb:cc:dd:ee:01", 1));
    create(TestNodes.peer("a", "10.42.1.0/24", "198.18.0.2", "aa:bb:cc:dd:ee:02", 1));
    create(TestNodes.peer("b", "10.42.2.0/24", "198.18.0.3", "AA:BB:CC:DD:EE:03", 1));
    create(new NodeBuilder().withNewMetadata().withName("bare").endMetadata().build()); // no annotations at all
    create(withAnnotation(TestNodes.peer("badjson", "10.42.3.0/24", "198.18.0.4", "aa:bb:cc:dd:ee:04", 1), K.backendData(), "{\"VNI\":"));
    create(TestNodes.peer("badmac", "10.42.4.0/24", "198.18.0.5", "zz:bb:cc:dd:ee:05", 1));
    create(withAnnotation(TestNodes.peer("badip", "10.42.5.0/24", "198.18.0.6", "aa:bb:cc:dd:ee:06", 1), K.publicIp(), "example.com"));
    create(TestNodes.peer("othervni", "10.42.6.0/24", "198.18.0.7", "aa:bb:cc:dd:ee:07", 2));
    create(withAnnotation(TestNodes.peer("huge", "10.42.7.0/24", "198.18.0.8", "aa:bb:cc:dd:ee:08", 1), K.backendData(), "x".repeat(300_000)));
    start(fast()); // pages of 2: the paginated path is taken (the mock itself ignores limit)

    assertThat(watcher.peers()).containsOnlyKeys("a", "b");
    assertThat(watcher.peers().get("b")).isEqualTo(PeerInfo.ipv4("b", IpPrefix.parseCidr("10.42.2.0/24"),
        IpAddresses.parse("198.18.0.3"), "aa:bb:cc:dd:ee:03", 1));
    assertThat(watcher.invalidPeers()).containsOnlyKeys("badjson", "badmac", "badip", "othervni", "huge");
    assertThat(watcher.invalidPeers().get("othervni")).contains("VNI 2");
    assertThat(watcher.invalidPeerWarnings()).isEqualTo(5);
    assertThat(listener.invalid).hasSize(5);
    assertThat(watcher.objectsRead()).isGreaterThanOrEqualTo(9);
    assertThat(watcher.relists()).isEqualTo(1);
    assertThat(watcher.synced()).isTrue();
  }

  @Test
  void statusOnlyUpdatesProduceNoPeerEvent() throws Exception {
    create(TestNodes.peer("a", "10.42.1.0/24", "198.18.0.2", "aa:bb:cc:dd:ee:02", 1));
    start(fast());
    await(WAIT, "watch connected", () -> listener.states.contains(true));
    int before = listener.changes.get();
    for (int i = 0; i < 5; i++) { // kubelet heartbeats and label churn
      admin.nodes().withName("a").subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
          "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"lastHeartbeatTime\":\"2026-01-01T00:00:0" + i + "Z\"}]}}");
      admin.nodes().withName("a").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"beat\":\"" + i + "\"}}}");
    }
    create(TestNodes.peer("marker", "10.42.9.0/24", "198.18.0.9", "aa:bb:cc:dd:ee:09", 1)); // events arrive in order
    await(WAIT, "marker peer seen", () -> watcher.peers().containsKey("marker"));
    assertThat(listener.changes.get() - before).as("only the marker changed the peer set").isEqualTo(1);
    assertThat(watcher.objectsRead()).as("the status updates were read").isGreaterThanOrEqualTo(11);
  }

  @Test
  void peerFieldChangesAndDeletionsAreSeen() throws Exception {
    create(TestNodes.peer("a", "10.42.1.0/24", "198.18.0.2", "aa:bb:cc:dd:ee:02", 1));
    create(TestNodes.peer("b", "10.42.2.0/24", "198.18.0.3", "aa:bb:cc:dd:ee:03", 1));
    start(fast());
    await(WAIT, "watch connected", () -> listener.states.contains(true));
    admin.nodes().withName("a").edit(n -> withAnnotation(n, K.backendData(), "{\"VNI\":1,\"VtepMAC\":\"aa:bb:cc:dd:ee:f2\"}"));
    await(WAIT, "new MAC", () -> watcher.peers().get("a").ipv4().orElseThrow().vtepMac().equals("aa:bb:cc:dd:ee:f2"));
    int before = listener.changes.get();
    admin.nodes().withName("b").delete();
    await(WAIT, "b removed", () -> !watcher.peers().containsKey("b"));
    assertThat(listener.changes.get()).isEqualTo(before + 1);
  }

  @Test
  void aBadValueIsWarnedOncePerValueNotPerEvent() throws Exception {
    create(TestNodes.peer("x", "10.42.1.0/24", "198.18.0.2", "01:00:5e:00:00:01", 1));
    start(fast());
    await(WAIT, "watch connected", () -> listener.states.contains(true));
    for (int i = 0; i < 4; i++) {
      admin.nodes().withName("x").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"n\":\"" + i + "\"}}}");
    }
    admin.nodes().withName("x").edit(n -> withAnnotation(n, K.backendData(), "{\"VNI\":3,\"VtepMAC\":\"aa:bb:cc:dd:ee:02\"}"));
    create(TestNodes.peer("marker", "10.42.9.0/24", "198.18.0.9", "aa:bb:cc:dd:ee:09", 1));
    await(WAIT, "marker peer seen", () -> watcher.peers().containsKey("marker"));
    assertThat(listener.invalid).extracting(Map.Entry::getKey).containsExactly("x", "x");
    assertThat(listener.invalid.get(0).getValue()).contains("unicast MAC");
    assertThat(listener.invalid.get(1).getValue()).contains("VNI 3");
    assertThat(watcher.invalidPeerWarnings()).isEqualTo(2);
    admin.nodes().withName("x").edit(n -> withAnnotation(withAnnotation(n, K.publicIp(), "198.18.0.2"), K.backendData(),
        "{\"VNI\":1,\"VtepMAC\":\"aa:bb:cc:dd:ee:02\"}"));
    await(WAIT, "x repaired", () -> watcher.peers().containsKey("x"));
    assertThat(watcher.invalidPeers()).isEmpty();
  }

  @Test
  void peersOutsideTheNetworkAreSkippedWhenItIsGiven() throws Exception {
    create(TestNodes.peer("in", "10.42.1.0/24", "198.18.0.2", "aa:bb:cc:dd:ee:02", 1));
    create(TestNodes.peer("out", "0.0.0.0/1", "198.18.0.3", "aa:bb:cc:dd:ee:03", 1));
    start(fast().withNetwork(IpPrefix.parseCidr("10.42.0.0/16")));
    assertThat(watcher.peers()).containsOnlyKeys("in");
    assertThat(watcher.invalidPeers().get("out")).contains("outside Network");
  }

  /** A dual-stack flanneld node, and one whose IPv6 podCIDR claims all of IPv6: it stays an IPv4 peer, warned once. */
  @Test
  void ipv6PartsOutsideIpv6NetworkAreDroppedWithAWarningAndTheMetric() throws Exception {
    create(dualStack("good", "10.42.1.0/24", "fd00:42:0:1::/64", "2001:db8::2"));
    create(dualStack("wide", "10.42.2.0/24", "::/0", "2001:db8::3"));
    NetConf conf = NetConf.parse("{\"Network\":\"10.42.0.0/16\",\"EnableIPv6\":true,\"IPv6Network\":\"fd00:42::/56\"}",
        w -> { });
    start(fast().withNetworks(conf));
    assertThat(watcher.peers()).containsOnlyKeys("good", "wide");
    assertThat(watcher.peers().get("good").ipv6().map(e -> e.subnet())).contains(IpPrefix.parseCidr("fd00:42:0:1::/64"));
    assertThat(watcher.peers().get("good").ipv6().map(e -> e.publicIp())).contains(IpAddresses.parse("2001:db8::2"));
    assertThat(watcher.peers().get("wide").ipv6().map(e -> e.subnet())).isEmpty();
    assertThat(watcher.peers().get("wide").ipv4().orElseThrow().subnet()).isEqualTo(IpPrefix.parseCidr("10.42.2.0/24"));
    assertThat(watcher.invalidPeerWarnings()).isEqualTo(1);
    assertThat(watcher.ipv6Problems()).containsOnlyKeys("wide");
    assertThat(watcher.ipv6Problems().get("wide")).contains("::/0 is outside IPv6Network fd00:42::/56");
    assertThat(watcher.invalidPeers()).isEmpty();
    admin.nodes().withName("wide").edit(n -> withAnnotation(n, "unrelated", "x"));
    create(TestNodes.peer("later", "10.42.3.0/24", "198.18.0.9", "aa:bb:cc:dd:ee:09", 1));
    await(WAIT, "later seen", () -> watcher.peers().containsKey("later"));
    assertThat(watcher.invalidPeerWarnings()).as("the same problem is not warned twice").isEqualTo(1);
  }

  private static Node dualStack(String name, String v4, String v6, String publicIpV6) {
    Node n = TestNodes.peer(name, v4, "198.18.0.2", "aa:bb:cc:dd:ee:02", 1);
    n.getSpec().setPodCIDRs(java.util.List.of(v4, v6));
    withAnnotation(n, K.backendV6Data(), "{\"VNI\":1,\"VtepMAC\":\"aa:bb:cc:dd:ee:62\"}");
    return withAnnotation(n, K.publicIpV6(), publicIpV6);
  }

  @Test
  void http410GoneMakesItListAgain() throws Exception {
    KubernetesMockServer scripted = new KubernetesMockServer(false);
    scripted.init(InetAddress.getLoopbackAddress(), 0);
    try {
      String watchPath = "/api/v1/nodes?allowWatchBookmarks=true&resourceVersion=%s&timeoutSeconds=300&watch=true";
      scripted.expect().get().withPath("/api/v1/nodes?limit=500").andReturn(200, new NodeListBuilder()
          .withNewMetadata().withResourceVersion("5").endMetadata()
          .addToItems(TestNodes.peer("a", "10.42.1.0/24", "198.18.0.2", "aa:bb:cc:dd:ee:02", 1)).build()).once();
      scripted.expect().get().withPath(String.format(watchPath, "5")).andReturn(410, new StatusBuilder().withCode(410)
          .withReason("Expired").withMessage("too old resource version: 5 (9)").build()).once();
      scripted.expect().get().withPath("/api/v1/nodes?limit=500").andReturn(200, new NodeListBuilder()
          .withNewMetadata().withResourceVersion("9").endMetadata()
          .addToItems(TestNodes.peer("b", "10.42.2.0/24", "198.18.0.3", "aa:bb:cc:dd:ee:03", 1)).build()).once();
      scripted.expect().get().withPath(String.format(watchPath, "9")).andUpgradeToWebSocket().open().done().always();
      // a backoff of at least 30 s: only a list that follows the 410 at once (no backoff) is seen within WAIT
      var slowRetries = new PeerWatcher.Options(500, Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofMinutes(2),
          Optional.empty());
      watcher = new PeerWatcher(api.clientFor("http://127.0.0.1:" + scripted.getPort(), b -> { }), "self", K, 1, listener,
          slowRetries);
      watcher.start();
      await(WAIT, "second list", () -> watcher.relists() == 2);
      assertThat(watcher.peers()).containsOnlyKeys("b");
      assertThat(watcher.watchRestarts()).isGreaterThanOrEqualTo(1);
    } finally {
      scripted.destroy();
    }
  }

  @Test
  void closeStopsTheThreadEvenWhileItBacksOffAndKeepsTheSnapshot() throws Exception {
    create(TestNodes.peer("a", "10.42.1.0/24", "198.18.0.2", "aa:bb:cc:dd:ee:02", 1));
    start(new PeerWatcher.Options(500, Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofMinutes(2), Optional.empty()));
    await(WAIT, "watch connected", () -> listener.states.contains(true));
    api.close(); // the API server goes away: the watcher now waits out a backoff of at least 30 s
    await(WAIT, "outage noticed", () -> listener.states.contains(false));
    watcher.close();
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("weft-peer-watch") && t.isAlive());
    assertThat(watcher.peers()).containsOnlyKeys("a");
    watcher.close(); // idempotent
  }
}
