package dev.weft.lease.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.http.Interceptor.RequestTags;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.weft.net.IpAddresses;
import dev.weft.net.IpFamily;

class NodePublisherTest {
  private static final AnnotationKeys K = TestNodes.KEYS;
  private final MockApi api = new MockApi();
  private final KubernetesClient admin = api.client();

  @AfterEach
  void stop() {
    api.close();
  }

  private NodePublisher publisher() {
    return new NodePublisher(api.client(), "n1", K);
  }

  private Node node() {
    return admin.nodes().withName("n1").get();
  }

  private void createNode(Map<String, String> annotations) {
    admin.nodes().resource(new NodeBuilder().withNewMetadata().withName("n1").withAnnotations(annotations).endMetadata()
        .withNewStatus()
          .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady").endCondition()
          .addNewCondition().withType("NetworkUnavailable").withStatus("True").withReason("NoRouteCreated").endCondition()
        .endStatus().build()).create();
  }

  @Test
  void publishWritesFlannelsAnnotationsAndTouchesNothingElse() {
    createNode(Map.of("other.io/x", "1", K.publicIpOverwrite(), "198.18.9.9"));
    publisher().publish(1, "AA:BB:CC:DD:EE:01", IpAddresses.parse("198.18.0.1"));
    assertThat(node().getMetadata().getAnnotations()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "other.io/x", "1",
        K.publicIpOverwrite(), "198.18.9.9",
        K.kubeSubnetManager(), "true",
        K.backendType(), "vxlan",
        K.backendData(), "{\"VNI\":1,\"VtepMAC\":\"aa:bb:cc:dd:ee:01\"}",
        K.publicIp(), "198.18.0.1"));
  }

  @Test
  void hostGwPublishesFlannelsNullBackendData() {
    createNode(Map.of("other.io/x", "1"));
    publisher().publish(1, "aa:bb:cc:dd:ee:01", IpAddresses.parse("198.18.0.1"));
    publisher().publishHostGw(IpAddresses.parse("198.18.0.1")); // a vxlan node switched to host-gw
    assertThat(node().getMetadata().getAnnotations()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "other.io/x", "1",
        K.kubeSubnetManager(), "true",
        K.backendType(), "host-gw",
        K.backendData(), "null",
        K.publicIp(), "198.18.0.1"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> publisher().publishHostGw(IpAddresses.parse("2001:db8::1")))
        .hasMessageContaining("IPv4");
  }

  @Test
  void aConcurrentAnnotationWriteIsNotLost() {
    createNode(Map.of());
    Runnable otherWriter = () -> admin.nodes().withName("n1").patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"metadata\":{\"annotations\":{\"other.io/late\":\"yes\"}}}");
    KubernetesClient c = api.client(BeforeRequest.once("PATCH", "/nodes/n1", otherWriter));
    new NodePublisher(c, "n1", K).publish(1, "aa:bb:cc:dd:ee:01", IpAddresses.parse("198.18.0.1"));
    assertThat(node().getMetadata().getAnnotations()).containsEntry("other.io/late", "yes").containsKey(K.publicIp());
  }

  @Test
  void publishingTheSameValuesAgainWritesNothing() {
    createNode(Map.of());
    NodePublisher p = publisher();
    p.publish(1, "aa:bb:cc:dd:ee:01", IpAddresses.parse("198.18.0.1"));
    String rv = node().getMetadata().getResourceVersion();
    p.publish(1, "aa:bb:cc:dd:ee:01", IpAddresses.parse("198.18.0.1"));
    assertThat(node().getMetadata().getResourceVersion()).isEqualTo(rv);
    p.publish(1, "aa:bb:cc:dd:ee:01", IpAddresses.parse("198.18.0.2"));
    assertThat(node().getMetadata().getAnnotations()).containsEntry(K.publicIp(), "198.18.0.2");
  }

  @Test
  void publishIpv6() {
    createNode(Map.of());
    publisher().publishIpv6(1, "aa:bb:cc:dd:ee:61", IpAddresses.parse("fd00:0:0:0:0:0:0:1"));
    assertThat(node().getMetadata().getAnnotations())
        .containsEntry(K.backendV6Data(), "{\"VNI\":1,\"VtepMAC\":\"aa:bb:cc:dd:ee:61\"}")
        .containsEntry(K.publicIpV6(), "fd00::1");
    assertThatThrownBy(() -> publisher().publish(1, "aa:bb:cc:dd:ee:61", IpAddresses.parse("fd00::1")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> publisher().publish(1, "ff:ff:ff:ff:ff:ff", IpAddresses.parse("198.18.0.1")))
        .isInstanceOf(IllegalArgumentException.class);
    for (String bad : new String[] {"198.18.0.1", "fe80::1", "::1", "ff02::1", "::"}) {
      assertThatThrownBy(() -> publisher().publishIpv6(1, "aa:bb:cc:dd:ee:61", IpAddresses.parse(bad))).as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> publisher().publishIpv6(1, "33:33:00:00:00:01", IpAddresses.parse("2001:db8::1")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void onePassReadsTheNodeOnce() {
    createNode(Map.of(K.nodePublicIp(), "198.18.0.77"));
    AtomicInteger gets = new AtomicInteger();
    KubernetesClient counted = api.client(b -> b.withHttpClientBuilderConsumer(h -> h.addOrReplaceInterceptor("count",
        new Interceptor() {
          @Override
          public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            if (request.method().equals("GET") && request.uri().getPath().endsWith("/nodes/n1")) {
              gets.incrementAndGet();
            }
          }
        })));
    NodePublisher p = new NodePublisher(counted, "n1", K);
    p.beginPass();
    assertThat(p.publicIpOverride()).contains(IpAddresses.parse("198.18.0.77"));
    assertThat(p.publishedVtepMac(1)).isEmpty();
    p.publish(1, "aa:bb:cc:dd:ee:01", IpAddresses.parse("198.18.0.1"));
    p.unpublish(IpFamily.V6);
    p.markNetworkAvailable();
    assertThat(gets).as("GETs of the Node in one pass").hasValue(1);
    assertThat(node().getMetadata().getAnnotations()).containsEntry(K.publicIp(), "198.18.0.1");
    assertThat(node().getStatus().getConditions()).anyMatch(c -> c.getType().equals("NetworkUnavailable")
        && c.getStatus().equals("False"));
    // the next pass reads again, and sees what someone else changed in between
    admin.nodes().withName("n1").patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"metadata\":{\"annotations\":{\"" + K.publicIp() + "\":\"198.18.0.9\"}}}");
    p.beginPass();
    p.publish(1, "aa:bb:cc:dd:ee:01", IpAddresses.parse("198.18.0.1"));
    assertThat(gets).hasValue(2);
    assertThat(node().getMetadata().getAnnotations()).as("put back").containsEntry(K.publicIp(), "198.18.0.1");
    counted.close();
  }

  @Test
  void thePublishedVtepMacIsReadBackForTheSameVniOnly() {
    createNode(Map.of());
    NodePublisher p = publisher();
    assertThat(p.publishedVtepMac(1)).isEmpty();
    p.publish(1, "aa:bb:cc:dd:ee:01", IpAddresses.parse("198.18.0.1"));
    assertThat(p.publishedVtepMac(1)).contains("aa:bb:cc:dd:ee:01");
    assertThat(p.publishedVtepMac(2)).isEmpty();
    admin.nodes().withName("n1").patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"metadata\":{\"annotations\":{\"" + K.backendData() + "\":\"{garbage\"}}}");
    p.beginPass(); // a later pass sees the change
    assertThat(p.publishedVtepMac(1)).isEmpty();
  }

  @Test
  void publicIpOverridesInOrderOfPrecedence() {
    createNode(Map.of(K.publicIpOverwrite(), "not-an-ip", K.nodePublicIp(), "198.18.0.77"));
    NodePublisher p = publisher();
    assertThat(p.publicIpOverride()).contains(IpAddresses.parse("198.18.0.77"));
    admin.nodes().withName("n1").patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"metadata\":{\"annotations\":{\"" + K.publicIpOverwrite() + "\":\"198.18.0.88\"}}}");
    p.beginPass(); // a later pass sees the change
    assertThat(p.publicIpOverride()).contains(IpAddresses.parse("198.18.0.88"));
    admin.nodes().withName("n1").patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"metadata\":{\"annotations\":{\"" + K.publicIpOverwrite() + "\":null,\"" + K.nodePublicIp() + "\":\"127.0.0.1\"}}}");
    p.beginPass(); // a later pass sees the change
    assertThat(p.publicIpOverride()).isEmpty();
  }

  @Test
  void publicIpOverridesTakeOnlyTheirOwnFamily() {
    createNode(Map.of(K.publicIpOverwrite(), "2001:db8::9", K.nodePublicIp(), "198.18.0.77",
        K.publicIpV6Overwrite(), "198.18.0.99", K.nodePublicIpV6(), "2001:db8::7"));
    NodePublisher p = publisher();
    assertThat(p.publicIpOverride()).contains(IpAddresses.parse("198.18.0.77"));
    assertThat(p.publicIpV6Override()).contains(IpAddresses.parse("2001:db8::7"));
  }

  @Test
  void publicIpv6OverridesInFlanneldsOrderAndHostileValuesSkipped() {
    createNode(Map.of(K.publicIpV6Overwrite(), "2001:db8::88", K.nodePublicIpV6(), "2001:db8::77"));
    NodePublisher p = publisher();
    assertThat(p.publicIpV6Override()).contains(IpAddresses.parse("2001:db8::88"));
    for (String hostile : new String[] {"::ffff:198.18.0.1", "fe80::1", "::1", "ff02::1", "::", "2001:db8::1/64",
        "x".repeat(5000)}) {
      admin.nodes().withName("n1").patch(PatchContext.of(PatchType.JSON_MERGE),
          "{\"metadata\":{\"annotations\":{\"" + K.publicIpV6Overwrite() + "\":\"" + hostile + "\"}}}");
      p.beginPass(); // a later pass sees the change
      assertThat(p.publicIpV6Override()).as(hostile).contains(IpAddresses.parse("2001:db8::77"));
    }
    admin.nodes().withName("n1").patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"metadata\":{\"annotations\":{\"" + K.nodePublicIpV6() + "\":null}}}");
    p.beginPass(); // a later pass sees the change
    assertThat(p.publicIpV6Override()).isEmpty();
  }

  @Test
  void theIpv6VtepMacIsReadBackFromBackendV6Data() {
    createNode(Map.of());
    NodePublisher p = publisher();
    p.publish(1, "aa:bb:cc:dd:ee:01", IpAddresses.parse("198.18.0.1"));
    assertThat(p.publishedVtepMacV6(1)).isEmpty();
    p.publishIpv6(1, "AA:BB:CC:DD:EE:61", IpAddresses.parse("2001:db8::1"));
    assertThat(p.publishedVtepMacV6(1)).contains("aa:bb:cc:dd:ee:61");
    assertThat(p.publishedVtepMac(1)).contains("aa:bb:cc:dd:ee:01");
    assertThat(p.publishedVtepMacV6(2)).isEmpty();
    admin.nodes().withName("n1").patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"metadata\":{\"annotations\":{\"" + K.backendV6Data() + "\":\"{\\\"VNI\\\":1,\\\"VtepMAC\\\":\\\"01:00:5e:00:00:01\\\"}\"}}}");
    p.beginPass(); // a later pass sees the change
    assertThat(p.publishedVtepMacV6(1)).as("a multicast MAC is never reused").isEmpty();
  }

  @Test
  void unpublishIpv6RemovesOnlyTheIpv6Annotations() {
    createNode(Map.of("other", "kept"));
    NodePublisher p = publisher();
    p.publish(1, "aa:bb:cc:dd:ee:01", IpAddresses.parse("198.18.0.1"));
    p.publishIpv6(1, "aa:bb:cc:dd:ee:61", IpAddresses.parse("2001:db8::1"));
    p.unpublishIpv6();
    assertThat(node().getMetadata().getAnnotations()).doesNotContainKeys(K.backendV6Data(), K.publicIpV6())
        .containsEntry(K.publicIp(), "198.18.0.1").containsEntry("other", "kept");
    String rv = node().getMetadata().getResourceVersion();
    p.unpublishIpv6();
    assertThat(node().getMetadata().getResourceVersion()).as("nothing to remove, nothing written").isEqualTo(rv);
  }

  @Test
  void anIpv6OnlyNodePublishesAPeerWithoutIpv4AnnotationsAndDropsOldOnes() {
    createNode(Map.of("other", "kept"));
    NodePublisher p = publisher();
    p.publish(1, "aa:bb:cc:dd:ee:01", IpAddresses.parse("198.18.0.1")); // a dual-stack past
    p.publishIpv6(1, "aa:bb:cc:dd:ee:61", IpAddresses.parse("2001:db8::1"));
    p.unpublish(dev.weft.net.IpFamily.V4);
    assertThat(node().getMetadata().getAnnotations()).doesNotContainKeys(K.backendData(), K.publicIp())
        .containsEntry(K.kubeSubnetManager(), "true").containsEntry(K.backendType(), "vxlan")
        .containsEntry(K.backendV6Data(), "{\"VNI\":1,\"VtepMAC\":\"aa:bb:cc:dd:ee:61\"}")
        .containsEntry(K.publicIpV6(), "2001:db8::1").containsEntry("other", "kept");
  }

  @Test
  void anIpv6OnlyHostGwNodePublishesBackendTypeAndManager() {
    createNode(Map.of());
    publisher().publishHostGwIpv6(IpAddresses.parse("2001:db8::1"));
    assertThat(node().getMetadata().getAnnotations()).containsEntry(K.kubeSubnetManager(), "true")
        .containsEntry(K.backendType(), "host-gw").containsEntry(K.backendV6Data(), "null")
        .containsEntry(K.publicIpV6(), "2001:db8::1").doesNotContainKeys(K.backendData(), K.publicIp());
  }

  @Test
  void markNetworkAvailableFlipsOnlyThatCondition() {
    createNode(Map.of());
    NodePublisher p = publisher();
    p.markNetworkAvailable();
    var conditions = node().getStatus().getConditions();
    assertThat(conditions).extracting(NodeCondition::getType).containsExactly("Ready", "NetworkUnavailable");
    assertThat(conditions.get(0).getReason()).isEqualTo("KubeletReady");
    assertThat(conditions.get(1).getStatus()).isEqualTo("False");
    assertThat(conditions.get(1).getReason()).isEqualTo("WeftIsUp");
    String rv = node().getMetadata().getResourceVersion();
    p.markNetworkAvailable();
    assertThat(node().getMetadata().getResourceVersion()).as("already false: no write").isEqualTo(rv);
  }

  @Test
  void markNetworkAvailableAddsTheConditionWhenAbsent() {
    admin.nodes().resource(new NodeBuilder().withNewMetadata().withName("n1").endMetadata().build()).create();
    publisher().markNetworkAvailable();
    assertThat(node().getStatus().getConditions()).singleElement()
        .satisfies(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("NetworkUnavailable=False"));
  }

  @Test
  void markNetworkAvailableDoesNotLoseAConcurrentKubeletWrite() {
    createNode(Map.of());
    Runnable kubelet = () -> admin.nodes().withName("n1").subresource("status").patch(PatchContext.of(PatchType.JSON),
        "[{\"op\":\"replace\",\"path\":\"/status/conditions/0\",\"value\":"
            + "{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"HeartbeatFromKubelet\"}}]");
    KubernetesClient c = api.client(BeforeRequest.once("PATCH", "/nodes/n1/status", kubelet));
    new NodePublisher(c, "n1", K).markNetworkAvailable();
    var conditions = node().getStatus().getConditions();
    assertThat(conditions.get(0).getReason()).as("the kubelet's write survives").isEqualTo("HeartbeatFromKubelet");
    assertThat(conditions.get(1).getStatus()).isEqualTo("False");
  }

  @Test
  void eventsAreRecordedOnTheNode() {
    createNode(Map.of());
    publisher().recordEvent("Warning", "SubnetPoolExhausted", "no free /24 in 10.42.0.0/16");
    var events = admin.resources(Event.class).inNamespace("default").list().getItems();
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.getInvolvedObject().getKind()).isEqualTo("Node");
      assertThat(e.getInvolvedObject().getName()).isEqualTo("n1");
      assertThat(e.getInvolvedObject().getUid()).isEqualTo(node().getMetadata().getUid());
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getReason()).isEqualTo("SubnetPoolExhausted");
      assertThat(e.getMessage()).contains("10.42.0.0/16");
      assertThat(e.getSource().getComponent()).isEqualTo("weft");
    });
    assertThatThrownBy(() -> publisher().recordEvent("Bad", "X", "m")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> publisher().recordEvent("Normal", "has space", "m")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void eventsAreBestEffortWhenTheApiIsDown() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    KubernetesClient down = api.clientFor("http://127.0.0.1:" + closedPort, b -> { });
    new NodePublisher(down, "n1", K).recordEvent("Normal", "SubnetAcquired", "10.42.3.0/24");
  }
}
