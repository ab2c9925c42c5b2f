package dev.weft.lease.kube;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The IPv6 half of a peer ({@code backend-v6-data}, {@code public-ipv6}, the IPv6 podCIDR) as flanneld publishes it
 * on a dual-stack node. A problem there drops only the IPv6 part, with a reason the watcher warns about and counts.
 */
class PeerParserIpv6Test {
  private static final AnnotationKeys K = AnnotationKeys.defaults();
  private static final List<String> DUAL = List.of("10.42.2.0/24", "fd00:42:0:2::/64");
  private final PeerParser parser = new PeerParser(K, 1, Optional.of(IpPrefix.parseCidr("10.42.0.0/16")),
      Optional.of(IpPrefix.parseCidr("fd00:42::/56")));

  /** A dual-stack flanneld node: the v4 annotations plus the two v6 ones, VtepMAC of flannel-v6.1. */
  private static Map<String, String> dual() {
    Map<String, String> a = new HashMap<>(TestNodes.flannel("198.18.0.2", "aa:bb:cc:dd:ee:02", 1));
    a.put(K.backendV6Data(), "{\"VNI\":1,\"VtepMAC\":\"aa:bb:cc:dd:ee:62\"}");
    a.put(K.publicIpV6(), "2001:db8::2");
    return a;
  }

  private Peer peer(Map<String, String> annotations, List<String> podCidrs) {
    var r = parser.parse("n2", annotations, podCidrs);
    assertThat(r).isInstanceOf(Peer.class);
    return (Peer) r;
  }

  @Test
  void aDualStackFlanneldNodeIsAPeerOfBothFamilies() {
    Peer p = peer(dual(), DUAL);
    assertThat(p.ipv6Problem()).isEmpty();
    assertThat(p.info()).isEqualTo(new PeerInfo("n2", 1, "vxlan",
        Optional.of(new PeerInfo.Endpoint(IpPrefix.parseCidr("10.42.2.0/24"), IpAddresses.parse("198.18.0.2"), "aa:bb:cc:dd:ee:02")),
        Optional.of(new PeerInfo.Endpoint(IpPrefix.parseCidr("fd00:42:0:2::/64"), IpAddresses.parse("2001:db8::2"),
            "aa:bb:cc:dd:ee:62"))));
  }

  @Test
  void podCidrsAreMatchedByFamilyNotPositionAndNormalised() {
    Peer p = peer(dual(), List.of("fd00:42:0:2::1/64", "10.42.2.9/24"));
    assertThat(p.info().ipv4().orElseThrow().subnet()).isEqualTo(IpPrefix.parseCidr("10.42.2.0/24"));
    assertThat(p.info().ipv6().map(e -> e.subnet())).contains(IpPrefix.parseCidr("fd00:42:0:2::/64"));
  }

  @Test
  void aV4OnlyNodeInADualStackClusterIsAV4PeerWithoutComplaint() {
    Map<String, String> a = dual();
    a.remove(K.backendV6Data());
    a.remove(K.publicIpV6());
    Peer p = peer(a, DUAL);
    assertThat(p.info().ipv6().map(e -> e.subnet())).isEmpty();
    assertThat(p.ipv6Problem()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      v4 address as public-ipv6 | public-ipv6     | 198.18.0.2                                | not a usable unicast IPv6
      IPv4-mapped public-ipv6   | public-ipv6     | ::ffff:198.18.0.2                         | not an IP address
      unspecified public-ipv6   | public-ipv6     | ::                                        | not a usable unicast IPv6
      loopback public-ipv6      | public-ipv6     | ::1                                       | not a usable unicast IPv6
      multicast public-ipv6     | public-ipv6     | ff02::1                                   | not a usable unicast IPv6
      link-local public-ipv6    | public-ipv6     | fe80::2                                   | link-local
      zone in public-ipv6       | public-ipv6     | fe80::2%eth0                              | not an IP address
      CIDR as public-ipv6       | public-ipv6     | 2001:db8::2/64                            | not an IP address
      host name public-ipv6     | public-ipv6     | node2.example.com                         | not an IP address
      empty public-ipv6         | public-ipv6     | ''                                        | no flannel.alpha.coreos.com/public-ipv6
      garbage MAC               | backend-v6-data | {"VNI":1,"VtepMAC":"zz:bb:cc:dd:ee:62"}   | not a MAC address
      dashed MAC                | backend-v6-data | {"VNI":1,"VtepMAC":"aa-bb-cc-dd-ee-62"}   | not a MAC address
      long MAC                  | backend-v6-data | {"VNI":1,"VtepMAC":"aa:bb:cc:dd:ee:62:00"} | not a MAC address
      multicast MAC             | backend-v6-data | {"VNI":1,"VtepMAC":"33:33:00:00:00:01"}   | not a unicast MAC
      broadcast MAC             | backend-v6-data | {"VNI":1,"VtepMAC":"ff:ff:ff:ff:ff:ff"}   | not a unicast MAC
      zero MAC                  | backend-v6-data | {"VNI":1,"VtepMAC":"00:00:00:00:00:00"}   | all-zero
      null MAC                  | backend-v6-data | {"VNI":1,"VtepMAC":null}                  | no VtepMAC string
      other VNI                 | backend-v6-data | {"VNI":7,"VtepMAC":"aa:bb:cc:dd:ee:62"}   | VNI 7 differs
      huge VNI                  | backend-v6-data | {"VNI":99999999999,"VtepMAC":"aa:bb:cc:dd:ee:62"} | no integer VNI
      not JSON                  | backend-v6-data | VtepMAC=aa:bb:cc:dd:ee:62                 | is not JSON
      JSON string               | backend-v6-data | "aa:bb:cc:dd:ee:62"                       | not a JSON object
      empty v6 data             | backend-v6-data | ''                                        | no flannel.alpha.coreos.com/backend-v6-data
      """)
  void hostileIpv6AnnotationsDropOnlyTheIpv6Part(String what, String key, String value, String reason) {
    Map<String, String> a = dual();
    a.put(K.prefix() + "/" + key, value);
    Peer p = peer(a, DUAL);
    assertThat(p.ipv6Problem()).as(what).hasValueSatisfying(r -> assertThat(r).contains(reason));
    assertThat(p.info().ipv6().map(e -> e.subnet())).isEmpty();
    assertThat(p.info().ipv6().map(e -> e.publicIp())).isEmpty();
    assertThat(p.info().ipv6().map(e -> e.vtepMac())).isEmpty();
    assertThat(p.info().ipv4().orElseThrow().subnet()).as("the IPv4 part stays").isEqualTo(IpPrefix.parseCidr("10.42.2.0/24"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      outside IPv6Network   | fd00:99:0:2::/64   | outside IPv6Network fd00:42::/56
      the whole v6 space    | ::/0               | outside IPv6Network
      wider than network    | fd00::/16          | outside IPv6Network
      IPv4-mapped range     | ::ffff:10.42.2.0/120 | is not a CIDR
      absurd length         | fd00:42:0:2::/129  | is not a CIDR
      leading-zero length   | fd00:42:0:2::/064  | is not a CIDR
      """)
  void hostileIpv6PodCidrsDropOnlyTheIpv6Part(String what, String podCidr, String reason) {
    Peer p = peer(dual(), List.of("10.42.2.0/24", podCidr));
    assertThat(p.ipv6Problem()).as(what).hasValueSatisfying(r -> assertThat(r).contains(reason));
    assertThat(p.info().ipv6().map(e -> e.subnet())).isEmpty();
  }

  @Test
  void v6AnnotationsWithoutAnIpv6PodCidrDropTheIpv6Part() {
    Peer p = peer(dual(), List.of("10.42.2.0/24"));
    assertThat(p.ipv6Problem()).hasValueSatisfying(r -> assertThat(r).contains("no IPv6 range in spec.podCIDRs"));
  }

  @Test
  void moreThanTwoPodCidrsIsInvalidAsInFlanneld() {
    var r = parser.parse("n2", dual(), List.of("10.42.2.0/24", "fd00:42:0:2::/64", "fd00:42:0:3::/64"));
    assertThat(r).isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.reason()).contains("has 3 entries"));
  }

  @Test
  void withoutAnIpv6NetworkTheIpv6SubnetIsNotChecked() {
    PeerParser unchecked = new PeerParser(K, 1, Optional.empty());
    var r = (Peer) unchecked.parse("n2", dual(), List.of("10.42.2.0/24", "fd00:99:0:2::/64"));
    assertThat(r.info().ipv6().map(e -> e.subnet())).contains(IpPrefix.parseCidr("fd00:99:0:2::/64"));
  }

  @Test
  void aHugeIpv6ValueIsNeitherParsedNorEchoed() {
    Map<String, String> a = dual();
    String huge = "2001:db8::" + "2".repeat(100_000);
    a.put(K.publicIpV6(), huge);
    Peer p = peer(a, DUAL);
    assertThat(p.ipv6Problem()).hasValueSatisfying(r -> assertThat(r).contains(huge.length() + " characters").hasSizeLessThan(200));
  }
}
