package dev.weft.lease.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.lease.Backend;
import dev.weft.lease.PeerInfo;
import dev.weft.lease.kube.PeerParser.Invalid;
import dev.weft.lease.kube.PeerParser.NotPeer;
import dev.weft.lease.kube.PeerParser.Peer;
import dev.weft.lease.kube.PeerParser.PeerRecord;
import dev.weft.net.IpAddresses;
import dev.weft.net.IpPrefix;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PeerParserTest {
  private static final AnnotationKeys K = AnnotationKeys.defaults();
  private final PeerParser parser = new PeerParser(K, 1, Optional.of(IpPrefix.parseCidr("10.42.0.0/16")));

  private static Map<String, String> good() {
    return new HashMap<>(TestNodes.flannel("198.18.0.2", "aa:bb:cc:dd:ee:02", 1));
  }

  private PeerRecord parse(Map<String, String> annotations) {
    return parser.parse("n2", annotations, List.of("10.42.2.0/24"));
  }

  @Test
  void aFlannelNodeIsAPeer() {
    var annotations = good();
    annotations.put(K.backendData(), "{\"VNI\":1,\"VtepMAC\":\"AA:BB:CC:DD:EE:02\"}");
    assertThat(parse(annotations)).isEqualTo(new Peer(PeerInfo.ipv4("n2", IpPrefix.parseCidr("10.42.2.0/24"),
        IpAddresses.parse("198.18.0.2"), "aa:bb:cc:dd:ee:02", 1), Optional.empty()));
  }

  @Test
  void hostGwPeersNeedNoBackendDataAndOtherBackendsAreInvalid() {
    PeerParser hostGw = new PeerParser(K, 1, Optional.of(IpPrefix.parseCidr("10.42.0.0/16")), Optional.empty(), Backend.HOST_GW);
    var annotations = good();
    annotations.put(K.backendType(), "host-gw");
    annotations.put(K.backendData(), "null");
    PeerRecord r = hostGw.parse("n2", annotations, List.of("10.42.2.0/24"));
    assertThat(r).isInstanceOfSatisfying(Peer.class, p -> {
      assertThat(p.info().ipv4().orElseThrow().vtepMac()).isEmpty();
      assertThat(p.info().backendType()).isEqualTo("host-gw");
      assertThat(p.info().ipv4().orElseThrow().publicIp()).isEqualTo(IpAddresses.parse("198.18.0.2"));
    });
    annotations.remove(K.backendData());
    assertThat(hostGw.parse("n2", annotations, List.of("10.42.2.0/24"))).isInstanceOf(Peer.class);
    assertThat(hostGw.parse("n2", good(), List.of("10.42.2.0/24"))).isInstanceOfSatisfying(Invalid.class,
        i -> assertThat(i.reason()).contains("\"vxlan\", not host-gw"));
    assertThat(parse(annotations)).isInstanceOfSatisfying(Invalid.class,
        i -> assertThat(i.reason()).contains("\"host-gw\", not vxlan"));
    annotations.put(K.publicIp(), "2001:db8::2");
    assertThat(hostGw.parse("n2", annotations, List.of("10.42.2.0/24"))).isInstanceOf(Invalid.class);
  }

  @Test
  void backendDataKeysAreCaseInsensitiveAndExtraFieldsIgnored() {
    var annotations = good();
    annotations.put(K.backendData(), "{\"vni\":1,\"vtepmac\":\"aa:bb:cc:dd:ee:02\",\"Other\":[1,2]}");
    assertThat(parse(annotations)).isInstanceOf(Peer.class);
  }

  @Test
  void nodesWithoutTheManagerAnnotationAreNotPeers() {
    assertThat(parser.parse("n2", null, List.of("10.42.2.0/24"))).isEqualTo(new NotPeer());
    assertThat(parser.parse("n2", Map.of(), List.of())).isEqualTo(new NotPeer());
    var annotations = good();
    annotations.put(K.kubeSubnetManager(), "false");
    assertThat(parse(annotations)).isEqualTo(new NotPeer());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      bad JSON                 | backend-data | {"VNI":1,                                      | is not JSON
      JSON array               | backend-data | [1]                                            | not a JSON object
      JSON null                | backend-data | null                                           | not a JSON object
      no VNI                   | backend-data | {"VtepMAC":"aa:bb:cc:dd:ee:02"}                | no integer VNI
      string VNI               | backend-data | {"VNI":"1","VtepMAC":"aa:bb:cc:dd:ee:02"}      | no integer VNI
      other VNI                | backend-data | {"VNI":2,"VtepMAC":"aa:bb:cc:dd:ee:02"}        | VNI 2 differs
      short MAC                | backend-data | {"VNI":1,"VtepMAC":"aa:bb:cc:dd:ee"}           | not a MAC
      multicast MAC            | backend-data | {"VNI":1,"VtepMAC":"01:00:5e:00:00:01"}        | not a unicast MAC
      zero MAC                 | backend-data | {"VNI":1,"VtepMAC":"00:00:00:00:00:00"}        | all-zero
      numeric MAC              | backend-data | {"VNI":1,"VtepMAC":42}                         | no VtepMAC string
      host name as IP          | public-ip    | node2.example.com                              | not an IP address
      out of range IP          | public-ip    | 999.1.1.1                                      | not an IP address
      unspecified IP           | public-ip    | 0.0.0.0                                        | not a usable
      loopback IP              | public-ip    | 127.0.0.1                                      | not a usable
      broadcast IP             | public-ip    | 255.255.255.255                                | not a usable
      IPv6 in IPv4 field       | public-ip    | fd00::2                                        | not a usable unicast IPv4
      empty IP                 | public-ip    | ''                                             | no flannel.alpha.coreos.com/public-ip
      host-gw backend          | backend-type | host-gw                                        | not vxlan
      """)
  void hostileAnnotationsMakeAnInvalidPeerWithAReason(String what, String key, String value, String reason) {
    var annotations = good();
    annotations.put(K.prefix() + "/" + key, value);
    assertThat(parse(annotations)).as(what).isInstanceOfSatisfying(Invalid.class,
        i -> assertThat(i.reason()).contains(reason));
  }

  @Test
  void missingAnnotationsAreNamed() {
    for (String key : List.of(K.backendType(), K.backendData(), K.publicIp())) {
      var annotations = good();
      annotations.remove(key);
      assertThat(parse(annotations)).isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.reason()).contains(key));
    }
  }

  @Test
  void hugeValuesAreRejectedWithoutBeingParsedOrEchoed() {
    var annotations = good();
    String huge = "{\"VNI\":1,\"VtepMAC\":\"" + "a".repeat(2_000_000) + "\"}";
    annotations.put(K.backendData(), huge);
    assertThat(parse(annotations)).isInstanceOfSatisfying(Invalid.class, i -> {
      assertThat(i.reason()).contains(huge.length() + " characters long");
      assertThat(i.reason().length()).isLessThan(200);
    });
  }

  @Test
  void controlCharactersAreEscapedInReasons() {
    var annotations = good();
    annotations.put(K.publicIp(), "1.2.3.4\n\u001b[31mFAKE LOG LINE");
    assertThat(parse(annotations)).isInstanceOfSatisfying(Invalid.class, i -> {
      assertThat(i.reason()).doesNotContain("\n").doesNotContain("\u001b").contains("\\u000a");
    });
  }

  @Test
  void podCidrProblems() {
    assertThat(parser.parse("n2", good(), List.of())).isInstanceOfSatisfying(Invalid.class,
        i -> assertThat(i.reason()).contains("no spec.podCIDR"));
    assertThat(parser.parse("n2", good(), List.of("banana"))).isInstanceOfSatisfying(Invalid.class,
        i -> assertThat(i.reason()).contains("\"banana\" is not a CIDR"));
    assertThat(parser.parse("n2", good(), List.of("0.0.0.0/1"))).isInstanceOfSatisfying(Invalid.class,
        i -> assertThat(i.reason()).contains("outside Network"));
    assertThat(parser.parse("n2", good(), List.of("fd00::/64"))).isInstanceOfSatisfying(Invalid.class,
        i -> assertThat(i.reason()).contains("no IPv4 range"));
  }

  @Test
  void ipv6FieldsAreAddedWhenValidAndDroppedAloneWhenNot() {
    var annotations = good();
    annotations.put(K.backendV6Data(), "{\"VNI\":1,\"VtepMAC\":\"aa:bb:cc:dd:ee:62\"}");
    annotations.put(K.publicIpV6(), "fd00::2");
    var peer = (Peer) parser.parse("n2", annotations, List.of("10.42.2.0/24", "fd42:0:0:2::/64"));
    assertThat(peer.info().ipv6().map(e -> e.subnet())).contains(IpPrefix.parseCidr("fd42:0:0:2::/64"));
    assertThat(peer.info().ipv6().map(e -> e.publicIp())).contains(IpAddresses.parse("fd00::2"));
    assertThat(peer.info().ipv6().map(e -> e.vtepMac())).contains("aa:bb:cc:dd:ee:62");
    assertThat(peer.ipv6Problem()).isEmpty();

    annotations.put(K.publicIpV6(), "not-an-ip");
    var v4only = (Peer) parser.parse("n2", annotations, List.of("10.42.2.0/24", "fd42:0:0:2::/64"));
    assertThat(v4only.info().ipv6().map(e -> e.subnet())).isEmpty();
    assertThat(v4only.ipv6Problem()).hasValueSatisfying(p -> assertThat(p).contains("public-ipv6"));
  }
}
