package dev.weft.lease.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.function.Consumer;
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
