package dev.weft.lease.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.lease.Backend;
import dev.weft.lease.PeerInfo;
import dev.weft.lease.kube.PeerParser.Invalid;
import dev.weft.lease.kube.PeerParser.Peer;
import dev.weft.net.IpAddresses;
import dev.weft.net.IpPrefix;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Peers of an IPv6-only cluster ({@code EnableIPv4: false}): the IPv6 annotations are the peer, required and checked
 * as strictly as the IPv4 ones are on an IPv4 cluster; the IPv4 annotations are not read at all, as flanneld reads
 * none of them in this mode (its v6-only nodes write none, or {@code public-ip: 0.0.0.0} with host-gw).
 */
class PeerParserIpv6OnlyTest {
  private static final AnnotationKeys K = AnnotationKeys.defaults();
  private static final List<String> V6 = List.of("fd42:0:0:2::/64");
  private final PeerParser vxlan = new PeerParser(K, 1, Optional.empty(), Optional.of(IpPrefix.parseCidr("fd42::/56")),
      Backend.VXLAN, false);
  private final PeerParser hostGw = new PeerParser(K, 1, Optional.empty(), Optional.of(IpPrefix.parseCidr("fd42::/56")),
      Backend.HOST_GW, false);

  /** What an IPv6-only flanneld vxlan node writes: no backend-data, no public-ip. */
  private static Map<String, String> flanneldV6Only() {
    Map<String, String> a = new HashMap<>();
    a.put(K.kubeSubnetManager(), "true");
    a.put(K.backendType(), "vxlan");
    a.put(K.backendV6Data(), "{\"VNI\":1,\"VtepMAC\":\"aa:bb:cc:dd:ee:62\"}");
    a.put(K.publicIpV6(), "fd98:18::2");
    return a;
  }

  @Test
  void aFlanneldIpv6OnlyNodeIsAnIpv6OnlyPeer() {
    var r = vxlan.parse("n2", flanneldV6Only(), V6);
    assertThat(r).isEqualTo(new Peer(new PeerInfo("n2", 1, "vxlan", Optional.empty(), Optional.of(new PeerInfo.Endpoint(
        IpPrefix.parseCidr("fd42:0:0:2::/64"), IpAddresses.parse("fd98:18::2"), "aa:bb:cc:dd:ee:62"))), Optional.empty()));
  }

  @Test
  void ipv4AnnotationsAndAnIpv4PodCidrAreIgnoredEvenWhenBroken() {
    Map<String, String> a = flanneldV6Only();
    a.put(K.backendData(), "not json");
    a.put(K.publicIp(), "0.0.0.0");
    var r = vxlan.parse("n2", a, List.of("10.99.0.0/24", "fd42:0:0:2::/64"));
    assertThat(r).isInstanceOfSatisfying(Peer.class, p -> {
      assertThat(p.info().ipv4()).isEmpty();
      assertThat(p.info().ipv6().orElseThrow().subnet()).isEqualTo(IpPrefix.parseCidr("fd42:0:0:2::/64"));
    });
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      no backend-v6-data          | flannel.alpha.coreos.com/backend-v6-data |            | no flannel.alpha.coreos.com/backend-v6-data
      no public-ipv6              | flannel.alpha.coreos.com/public-ipv6     |            | no flannel.alpha.coreos.com/public-ipv6
      an IPv4 public-ipv6         | flannel.alpha.coreos.com/public-ipv6     | 198.18.0.2 | public-ipv6
      another VNI                 | flannel.alpha.coreos.com/backend-v6-data | {"VNI":2,"VtepMAC":"aa:bb:cc:dd:ee:62"} | VNI 2
      a multicast VtepMAC         | flannel.alpha.coreos.com/backend-v6-data | {"VNI":1,"VtepMAC":"33:33:00:00:00:01"} | VtepMAC
      """)
  void aBrokenIpv6PartMakesTheWholePeerInvalid(String what, String key, String value, String reason) {
    Map<String, String> a = flanneldV6Only();
    if (value == null) {
      a.remove(key);
    } else {
      a.put(key, value);
    }
    assertThat(vxlan.parse("n2", a, V6)).as(what)
        .isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.reason()).contains(reason));
  }

  @Test
  void aSubnetOutsideIpv6NetworkOrNoIpv6PodCidrIsInvalid() {
    assertThat(vxlan.parse("n2", flanneldV6Only(), List.of("fd99:0:0:2::/64")))
        .isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.reason()).contains("outside IPv6Network fd42::/56"));
    assertThat(vxlan.parse("n2", flanneldV6Only(), List.of("10.42.2.0/24")))
        .isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.reason()).contains("no IPv6 range"));
    assertThat(vxlan.parse("n2", flanneldV6Only(), List.of()))
        .isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.reason()).contains("no spec.podCIDR"));
    assertThat(vxlan.parse("n2", flanneldV6Only(), List.of("fd42::/0")))
        .isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.reason()).contains("::/0"));
  }

  @Test
  void aHostGwIpv6OnlyNodeNeedsOnlyPublicIpv6() {
    Map<String, String> a = new HashMap<>();
    a.put(K.kubeSubnetManager(), "true");
    a.put(K.backendType(), "host-gw");
    a.put(K.backendData(), "null"); // flanneld's host-gw writes these two even with IPv4 off
    a.put(K.publicIp(), "0.0.0.0");
    a.put(K.backendV6Data(), "null");
    a.put(K.publicIpV6(), "fd98:18::2");
    assertThat(hostGw.parse("n2", a, V6)).isInstanceOfSatisfying(Peer.class, p -> {
      assertThat(p.info().ipv4()).isEmpty();
      assertThat(p.info().ipv6().orElseThrow().publicIp()).isEqualTo(IpAddresses.parse("fd98:18::2"));
      assertThat(p.info().ipv6().orElseThrow().vtepMac()).isEmpty();
    });
  }
}
