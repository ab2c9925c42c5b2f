package dev.weft.lease.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import dev.weft.lease.NodeLease;
import dev.weft.net.IpPrefix;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link LeaseScenarios} against fabric8's mock API server in CRUD mode, plus failures only a mock can stage. */
class SubnetLeaserTest extends LeaseScenarios {
  private MockApi api;
  private KubernetesClient admin;

  @BeforeEach
  void startServer() {
    api = new MockApi();
    admin = api.client();
  }

  @AfterEach
  void stopServer() {
    api.close();
  }

  @Override
  protected KubernetesClient newClient(Consumer<KubernetesClientBuilder> customizer) {
    return api.client(customizer);
  }

  @Override
  protected KubernetesClient admin() {
    return admin;
  }

  @Override
  protected String namespace() {
    return "weft-system";
  }

  @Override
  protected int raceAgents() {
    return 200;
  }

  /** The label selectors of the lease LISTs a client sends, decoded. */
  private KubernetesClient recordingLeaseLists(List<String> selectors) {
    return api.client(b -> b.withHttpClientBuilderConsumer(h -> h.addOrReplaceInterceptor("lease-lists", new Interceptor() {
      @Override
      public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        if (request.method().equals("GET") && request.uri().getPath().endsWith("/leases")) {
          String q = request.uri().getRawQuery() == null ? "" : URLDecoder.decode(request.uri().getRawQuery(), StandardCharsets.UTF_8);
          selectors.add(q.replaceAll(".*labelSelector=([^&]*).*", "$1"));
        }
      }
    })));
  }

  @Test
  void aRestartListsOnlyItsOwnLocks() {
    TestNodes.create(admin, "n1");
    IpPrefix subnet = acquired(leaser("n1", SLASH16).tryAcquire()).subnet().orElseThrow();
    assertThat(lockOf(subnet).getMetadata().getLabels()).containsEntry(SubnetLocks.HOLDER_LABEL, "n1");
    for (int i = 0; i < 5; i++) {
      TestNodes.create(admin, "other" + i);
      acquired(leaser("other" + i, SLASH16).tryAcquire());
    }
    List<String> selectors = new CopyOnWriteArrayList<>();
    NodeLease again = acquired(new SubnetLeaser(recordingLeaseLists(selectors), "n1", SLASH16, namespace()).tryAcquire());
    assertThat(again.subnet()).contains(subnet);
    assertThat(again.allocatedByWeft()).isTrue();
    assertThat(selectors).hasSize(1);
    assertThat(selectors.getFirst().split(",")).containsExactlyInAnyOrder(SubnetLocks.LABEL + "=true",
        SubnetLocks.HOLDER_LABEL + "=n1");
    assertThat(locks()).hasSize(6);
  }

  @Test
  void locksOfAnEarlierWeftAreAdoptedAndLabelledOnce() {
    TestNodes.createWithPodCidr(admin, "n1", "10.42.7.0/24");
    String uid = admin.nodes().withName("n1").get().getMetadata().getUid();
    createLock(IpPrefix.parseCidr("10.42.7.0/24"), "n1", uid); // without the holder label, as before it existed
    createLock(IpPrefix.parseCidr("10.42.8.0/24"), "n1", uid); // a stale one of the same node
    createLock(IpPrefix.parseCidr("10.42.9.0/24"), "n2", "uid-n2");
    List<String> selectors = new CopyOnWriteArrayList<>();
    KubernetesClient c = recordingLeaseLists(selectors);
    NodeLease lease = acquired(new SubnetLeaser(c, "n1", SLASH16, namespace()).tryAcquire());
    assertThat(lease.allocatedByWeft()).as("the lock is ours").isTrue();
    assertThat(selectors).as("by label, then all once").hasSize(2);
    assertThat(lockOf(IpPrefix.parseCidr("10.42.7.0/24")).getMetadata().getLabels())
        .containsEntry(SubnetLocks.HOLDER_LABEL, "n1");
    assertThat(lockOf(IpPrefix.parseCidr("10.42.8.0/24"))).as("released").isNull();
    assertThat(lockOf(IpPrefix.parseCidr("10.42.9.0/24"))).as("another node's, untouched").isNotNull();
    selectors.clear();
    acquired(new SubnetLeaser(c, "n1", SLASH16, namespace()).tryAcquire());
    assertThat(selectors).as("the next start reads its own lock by label only").hasSize(1);
  }

  @Test
  void holderLabelsAreValidLabelValues() {
    assertThat(SubnetLocks.holderLabel("worker-1.example")).isEqualTo("worker-1.example");
    String longName = "node-" + "a".repeat(70) + ".example.com";
    String label = SubnetLocks.holderLabel(longName);
    assertThat(label).startsWith("sha256-").hasSize(47).isEqualTo(SubnetLocks.holderLabel(longName))
        .isNotEqualTo(SubnetLocks.holderLabel(longName + "x"));
  }

  @Test
  void anUnparseablePodCidrIsRefusedClearly() {
    // a real API server validates podCIDR; the mock does not, which is how a corrupted value can be staged
    TestNodes.createWithPodCidr(admin, "n1", "10.42.7.0/33");
    var f = failed(leaser("n1", SLASH16).tryAcquire(), LeaseFailure.PODCIDR_INVALID);
    assertThat(f.message()).contains("n1", "10.42.7.0/33");
  }

  @Test
  void aNodeWithOnlyAnIpv6PodCidrIsRefused() {
    TestNodes.createWithPodCidr(admin, "n1", "fd42::/64");
    var f = failed(leaser("n1", SLASH16).tryAcquire(), LeaseFailure.PODCIDR_INVALID);
    assertThat(f.message()).contains("no IPv4");
  }

  @Test
  void ipv6EnabledButNoIpv6PodCidrIsRefused() {
    TestNodes.createWithPodCidr(admin, "n1", "10.42.1.0/24");
    var dual = conf("{\"Network\": \"10.42.0.0/16\", \"EnableIPv6\": true, \"IPv6Network\": \"fd42::/56\"}");
    var f = failed(leaser("n1", dual).tryAcquire(), LeaseFailure.PODCIDR_INVALID);
    assertThat(f.message()).contains("EnableIPv6");
  }

  private static final String DUAL = "{\"Network\": \"10.42.0.0/16\", \"EnableIPv6\": true, \"IPv6Network\": \"fd42::/56\"}";

  @Test
  void aControllersDualStackPodCidrsAreAdoptedWhateverTheirOrder() {
    TestNodes.createWithPodCidr(admin, "n1", "fd42:0:0:7::/64", "10.42.7.0/24");
    var lease = acquired(leaser("n1", conf(DUAL)).tryAcquire());
    assertThat(lease).isEqualTo(new dev.weft.lease.NodeLease(dev.weft.net.IpPrefix.parseCidr("10.42.7.0/24"),
        java.util.Optional.of(dev.weft.net.IpPrefix.parseCidr("fd42:0:0:7::/64")), false));
    assertThat(locks()).isEmpty();
  }

  private static final String V6_ONLY = "{\"EnableIPv4\": false, \"EnableIPv6\": true, \"IPv6Network\": \"fd42::/56\"}";

  @Test
  void anIpv6OnlyClusterAdoptsTheIpv6PodCidrAndIgnoresAnIpv4One() {
    TestNodes.createWithPodCidr(admin, "n1", "fd42:0:0:7::/64");
    assertThat(acquired(leaser("n1", conf(V6_ONLY)).tryAcquire())).isEqualTo(new dev.weft.lease.NodeLease(
        java.util.Optional.empty(), java.util.Optional.of(dev.weft.net.IpPrefix.parseCidr("fd42:0:0:7::/64")), false));
    TestNodes.createWithPodCidr(admin, "n2", "10.99.0.0/24", "fd42:0:0:8::/64");
    assertThat(acquired(leaser("n2", conf(V6_ONLY)).tryAcquire()).subnet()).as("outside any Network, but IPv4 is off")
        .isEmpty();
  }

  @Test
  void anIpv6OnlyClusterRefusesANodeWithOnlyAnIpv4PodCidr() {
    TestNodes.createWithPodCidr(admin, "n1", "10.42.1.0/24");
    assertThat(failed(leaser("n1", conf(V6_ONLY)).tryAcquire(), LeaseFailure.PODCIDR_INVALID).message())
        .contains("EnableIPv6", "no IPv6 podCIDR");
  }

  @Test
  void anIpv6PodCidrOutsideIpv6NetworkIsRefusedNamingTheField() {
    TestNodes.createWithPodCidr(admin, "n1", "10.42.7.0/24", "fd99:0:0:7::/64");
    var f = failed(leaser("n1", conf(DUAL)).tryAcquire(), LeaseFailure.PODCIDR_OUTSIDE_NETWORK);
    assertThat(f.message()).contains("fd99:0:0:7::/64", "IPv6Network fd42::/56");
  }

  @Test
  void hostilePodCidrsAreRefused() {
    TestNodes.createWithPodCidr(admin, "n1", "10.42.7.0/24", "fd42:0:0:7::/64", "fd42:0:0:8::/64");
    assertThat(failed(leaser("n1", conf(DUAL)).tryAcquire(), LeaseFailure.PODCIDR_INVALID).message())
        .contains("3 podCIDRs", "at most one per family");
    TestNodes.createWithPodCidr(admin, "n2", "10.42.8.0/24", "::ffff:10.42.8.0/120");
    assertThat(failed(leaser("n2", conf(DUAL)).tryAcquire(), LeaseFailure.PODCIDR_INVALID).message())
        .contains("n2", "IPv4-mapped");
    TestNodes.createWithPodCidr(admin, "n3", "10.42.9.0/24", "fd42::/0");
    assertThat(failed(leaser("n3", conf(DUAL)).tryAcquire(), LeaseFailure.PODCIDR_OUTSIDE_NETWORK).message())
        .contains("::/0");
  }

  @Test
  void aLockWhoseSubnetAnnotationDoesNotMatchItsNameIsIgnored() {
    TestNodes.create(admin, "n1");
    var bogus = new io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder().withNewMetadata()
        .withName(SubnetLocks.lockName(dev.weft.net.IpPrefix.parseCidr("fd42:0:0:5::/64"))).withNamespace(namespace())
        .withLabels(java.util.Map.of(SubnetLocks.LABEL, "true"))
        .withAnnotations(java.util.Map.of(SubnetLocks.SUBNET_ANNOTATION, "fd42::/56")).endMetadata()
        .withNewSpec().withHolderIdentity("n1").endSpec().build();
    admin.leases().inNamespace(namespace()).resource(bogus).create();
    assertThat(new SubnetLocks(admin, namespace()).list()).isEmpty();
    var lease = acquired(leaser("n1", conf(DUAL)).tryAcquire());
    assertThat(lease.subnetV6()).isPresent().get().isNotEqualTo(dev.weft.net.IpPrefix.parseCidr("fd42::/56"));
  }

  @Test
  void anUnreachableApiServerIsAFailureStateNotAnException() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    KubernetesClient c = api.clientFor("http://127.0.0.1:" + closedPort, b -> { });
    var f = failed(new SubnetLeaser(c, "n1", SLASH16, namespace()).tryAcquire(), LeaseFailure.API_UNREACHABLE);
    assertThat(f.message()).contains("unreachable");
  }

  @Test
  void rbacDenialNamesTheCallAndTheFix() {
    var forbidding = new KubernetesMockServer(false);
    forbidding.init(InetAddress.getLoopbackAddress(), 0);
    try {
      forbidding.expect().get().withPath("/api/v1/nodes/n1").andReturn(403, new StatusBuilder().withCode(403)
          .withReason("Forbidden").withMessage("nodes \"n1\" is forbidden: User \"system:serviceaccount:weft-system:weft\""
              + " cannot get resource \"nodes\"").build()).always();
      KubernetesClient c = api.clientFor("http://127.0.0.1:" + forbidding.getPort(), b -> { });
      var f = failed(new SubnetLeaser(c, "n1", SLASH16, namespace()).tryAcquire(), LeaseFailure.FORBIDDEN);
      assertThat(f.message()).contains("cannot get resource \"nodes\"", "README");
    } finally {
      forbidding.destroy();
    }
  }
}
