package dev.weft.lease.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The streamed Node LIST against scripted answers: fields kept and skipped, pages, errors. */
class NodeListerTest {
  private static final String PREFIX = "flannel.alpha.coreos.com/";
  private final MockApi clients = new MockApi();
  private KubernetesMockServer server;

  @BeforeEach
  void start() {
    server = new KubernetesMockServer(false);
    server.init(InetAddress.getLoopbackAddress(), 0);
  }

  @AfterEach
  void stop() {
    server.destroy();
    clients.close();
  }

  private NodeLister lister(long pageSize) {
    return new NodeLister(clients.clientFor("http://127.0.0.1:" + server.getPort(), b -> { }), pageSize, PREFIX);
  }

  @Test
  void keepsNameOwnAnnotationsAndPodCidrsAndSkipsEverythingElse() {
    server.expect().get().withPath("/api/v1/nodes?limit=500").andReturn(200, """
        {"kind":"NodeList","apiVersion":"v1","items":[
          {"metadata":{"name":"a","labels":{"x":"y"},"annotations":{
             "flannel.alpha.coreos.com/public-ip":"198.18.0.2","other.io/key":"v","flannel.alpha.coreos.com/n":7},
             "managedFields":[{"fieldsV1":{"f:metadata":{}}}]},
           "spec":{"podCIDR":"10.42.1.0/24","podCIDRs":["10.42.1.0/24","fd00:1::/64"],"taints":[{"key":"k"}]},
           "status":{"images":[{"names":["a@sha256:00","a:1"],"sizeBytes":1}],"conditions":[{"type":"Ready"}]}},
          {"spec":{"podCIDR":"10.42.2.0/24"},"metadata":{"name":"b"}},
          {"metadata":{"labels":{}}},
          {"metadata":{"name":"c","annotations":null},"spec":null}],
         "metadata":{"resourceVersion":"42"}}
        """).once();
    List<NodeLister.Fields> got = new ArrayList<>();
    String rv = lister(500).forEach(got::add);

    assertThat(rv).isEqualTo("42");
    assertThat(got).containsExactly(
        new NodeLister.Fields("a", Map.of(PREFIX + "public-ip", "198.18.0.2"), List.of("10.42.1.0/24", "fd00:1::/64")),
        new NodeLister.Fields("b", Map.of(), List.of("10.42.2.0/24")),
        new NodeLister.Fields("c", Map.of(), List.of()));
  }

  @Test
  void followsContinueTokensPageByPageWithTheFirstPagesResourceVersion() {
    server.expect().get().withPath("/api/v1/nodes?limit=1").andReturn(200, """
        {"metadata":{"resourceVersion":"7","continue":"t/1 ="},"items":[{"metadata":{"name":"a"}}]}
        """).once();
    server.expect().get().withPath("/api/v1/nodes?limit=1&continue=t%2F1+%3D").andReturn(200, """
        {"metadata":{"resourceVersion":"9"},"items":[{"metadata":{"name":"b"}}]}
        """).once();
    List<List<String>> pages = new ArrayList<>();
    String rv = lister(1).forEachPage(p -> pages.add(p.stream().map(NodeLister.Fields::name).toList()));

    assertThat(pages).containsExactly(List.of("a"), List.of("b"));
    assertThat(rv).isEqualTo("7");
  }

  @Test
  void anErrorCarriesTheHttpCodeAndTheServersMessage() {
    server.expect().get().withPath("/api/v1/nodes?limit=500").andReturn(403, """
        {"kind":"Status","apiVersion":"v1","status":"Failure","message":"nodes is forbidden: no list","reason":"Forbidden","code":403}
        """).once();
    assertThatThrownBy(() -> lister(500).forEach(n -> { }))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(403);
          assertThat(ApiErrors.detail(e)).isEqualTo("nodes is forbidden: no list");
        });
  }

  @Test
  void aBodyThatIsNotAListIsAnError() {
    server.expect().get().withPath("/api/v1/nodes?limit=500").andReturn(200, "[1,2]").once();
    assertThatThrownBy(() -> lister(500).forEach(n -> { })).isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("not a JSON object");
  }

  @Test
  void aTruncatedBodyIsAnError() {
    server.expect().get().withPath("/api/v1/nodes?limit=500")
        .andReturn(200, "{\"items\":[{\"metadata\":{\"name\":\"a\"}},{\"metadata\":{\"na").once();
    assertThatThrownBy(() -> lister(500).forEach(n -> { })).isInstanceOf(KubernetesClientException.class);
  }
}
