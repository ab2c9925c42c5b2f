package dev.weft.lease.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AnnotationKeysTest {
  @Test
  void flannelsKeys() {
    AnnotationKeys k = AnnotationKeys.defaults();
    assertThat(k.backendType()).isEqualTo("flannel.alpha.coreos.com/backend-type");
    assertThat(k.backendData()).isEqualTo("flannel.alpha.coreos.com/backend-data");
    assertThat(k.backendV6Data()).isEqualTo("flannel.alpha.coreos.com/backend-v6-data");
    assertThat(k.publicIp()).isEqualTo("flannel.alpha.coreos.com/public-ip");
    assertThat(k.publicIpV6()).isEqualTo("flannel.alpha.coreos.com/public-ipv6");
    assertThat(k.kubeSubnetManager()).isEqualTo("flannel.alpha.coreos.com/kube-subnet-manager");
    assertThat(k.publicIpOverwrite()).isEqualTo("flannel.alpha.coreos.com/public-ip-overwrite");
    assertThat(k.nodePublicIp()).isEqualTo("flannel.alpha.coreos.com/node-public-ip");
  }

  @Test
  void customPrefix() {
    assertThat(new AnnotationKeys("weft.example.org").publicIp()).isEqualTo("weft.example.org/public-ip");
  }

  @Test
  void rejectsPrefixesThatAreNotDnsSubdomains() {
    for (String bad : new String[] {"", "Flannel.io", "a/b", "-x.io", "x..io", "x".repeat(254)}) {
      assertThatThrownBy(() -> new AnnotationKeys(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
