package dev.weft.lease.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;

/** Node objects for tests, shaped like what kubelet, kube-controller-manager and flanneld write. */
final class TestNodes {
  static final AnnotationKeys KEYS = AnnotationKeys.defaults();

  private TestNodes() {}

  static Node create(KubernetesClient c, String name) {
    return c.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
  }

  static Node createWithPodCidr(KubernetesClient c, String name, String... podCidrs) {
    return c.nodes().resource(new NodeBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withPodCIDR(podCidrs[0]).withPodCIDRs(List.of(podCidrs)).endSpec()
        .build()).create();
  }

  /** A peer as flanneld (or weft) publishes it. */
  static Node peer(String name, String podCidr, String publicIp, String mac, int vni) {
    return new NodeBuilder()
        .withNewMetadata().withName(name).withAnnotations(flannel(publicIp, mac, vni)).endMetadata()
        .withNewSpec().withPodCIDR(podCidr).withPodCIDRs(podCidr).endSpec()
        .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus()
        .build();
  }

  static Map<String, String> flannel(String publicIp, String mac, int vni) {
    return Map.of(
        KEYS.kubeSubnetManager(), "true",
        KEYS.backendType(), "vxlan",
        KEYS.backendData(), "{\"VNI\":" + vni + ",\"VtepMAC\":\"" + mac + "\"}",
        KEYS.publicIp(), publicIp);
  }
}
