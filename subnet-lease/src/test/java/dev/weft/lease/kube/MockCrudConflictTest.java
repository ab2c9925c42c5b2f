package dev.weft.lease.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the lease lock relies on, checked on the mock itself so the race tests prove something: a second CREATE of
 * the same name fails with 409, of many concurrent CREATEs exactly one succeeds, and a write carrying a stale
 * resourceVersion fails with 409.
 */
class MockCrudConflictTest {
  private final MockApi api = new MockApi();

  @AfterEach
  void stop() {
    api.close();
  }

  private static Lease lease(String name) {
    return new LeaseBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withHolderIdentity("x").endSpec().build();
  }

  @Test
  void secondCreateOfTheSameLeaseIsA409() {
    KubernetesClient c = api.client();
    c.leases().inNamespace("weft-system").resource(lease("l1")).create();
    assertThatThrownBy(() -> c.leases().inNamespace("weft-system").resource(lease("l1")).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
  }

  @Test
  void ofManyConcurrentCreatesExactlyOneWins() throws Exception {
    int n = 64;
    List<KubernetesClient> clients = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      clients.add(api.client());
    }
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    try (var pool = Executors.newFixedThreadPool(n)) {
      for (KubernetesClient c : clients) {
        results.add(pool.submit(() -> {
          go.await();
          try {
            c.leases().inNamespace("weft-system").resource(lease("contested")).create();
            return 201;
          } catch (KubernetesClientException e) {
            return e.getCode();
          }
        }));
      }
      go.countDown();
      List<Integer> codes = new ArrayList<>();
      for (Future<Integer> f : results) {
        codes.add(f.get(30, TimeUnit.SECONDS));
      }
      assertThat(codes).containsOnly(201, 409);
      assertThat(codes.stream().filter(code -> code == 201)).hasSize(1);
    }
  }

  @Test
  void aPatchWithAStaleResourceVersionIsA409() {
    KubernetesClient c = api.client();
    TestNodes.create(c, "n1");
    String stale = c.nodes().withName("n1").get().getMetadata().getResourceVersion();
    c.nodes().withName("n1").edit(n -> {
      n.getMetadata().setLabels(java.util.Map.of("touched", "yes"));
      return n;
    });
    assertThatThrownBy(() -> c.nodes().withName("n1").patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"metadata\":{\"resourceVersion\":\"" + stale + "\"},\"spec\":{\"podCIDR\":\"10.42.0.0/24\"}}"))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
  }
}
