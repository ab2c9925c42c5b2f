package dev.weft.lease.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.lease.PeerInfo;
import dev.weft.lease.kube.PeerParser.Invalid;
import dev.weft.lease.kube.PeerParser.NotPeer;
import dev.weft.lease.kube.PeerParser.Peer;
import dev.weft.net.IpAddresses;
import dev.weft.net.IpPrefix;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PeerTableTest {
  private final PeerTable table = new PeerTable();

  private static Peer peer(String name, String subnet, String mac) {
    return new Peer(PeerInfo.ipv4(name, IpPrefix.parseCidr(subnet), IpAddresses.parse("198.18.0.9"), mac, 1), Optional.empty());
  }

  @Test
  void theSameDataTwiceIsNoChange() {
    assertThat(table.put("a", peer("a", "10.42.1.0/24", "aa:bb:cc:dd:ee:01")).peersChanged()).isTrue();
    assertThat(table.put("a", peer("a", "10.42.1.0/24", "aa:bb:cc:dd:ee:01"))).isEqualTo(PeerTable.Change.NONE);
    assertThat(table.put("a", peer("a", "10.42.1.0/24", "aa:bb:cc:dd:ee:99")).peersChanged()).isTrue();
    assertThat(table.peers()).containsOnlyKeys("a");
  }

  @Test
  void anIpv6ProblemIsReportedOnceAndForgottenWhenFixedInvalidOrGone() {
    Peer v4Only = new Peer(peer("c", "10.42.3.0/24", "aa:bb:cc:dd:ee:03").info(), Optional.of("public-ipv6 is fe80::1"));
    assertThat(table.put("c", v4Only).newProblems()).containsExactly(Map.entry("c", "IPv6 ignored: public-ipv6 is fe80::1"));
    assertThat(table.put("c", v4Only)).isEqualTo(PeerTable.Change.NONE);
    assertThat(table.ipv6Problems()).containsExactly(Map.entry("c", "public-ipv6 is fe80::1"));
    assertThat(table.invalid()).isEmpty();
    table.put("c", peer("c", "10.42.3.0/24", "aa:bb:cc:dd:ee:03"));
    assertThat(table.ipv6Problems()).isEmpty();
    table.put("c", v4Only);
    table.put("c", new Invalid("bad mac"));
    assertThat(table.ipv6Problems()).isEmpty();
    assertThat(table.put("c", v4Only).newProblems()).as("a problem seen again after a change is news").hasSize(1);
    table.remove("c");
    assertThat(table.ipv6Problems()).isEmpty();
  }

  @Test
  void aProblemIsReportedOncePerNodeAndValue() {
    assertThat(table.put("b", new Invalid("bad mac x")).newProblems()).containsExactly(Map.entry("b", "bad mac x"));
    assertThat(table.put("b", new Invalid("bad mac x")).newProblems()).isEmpty();
    assertThat(table.put("b", new Invalid("bad mac y")).newProblems()).containsExactly(Map.entry("b", "bad mac y"));
    assertThat(table.invalid()).containsExactly(Map.entry("b", "bad mac y"));
    assertThat(table.put("b", peer("b", "10.42.2.0/24", "aa:bb:cc:dd:ee:02")).peersChanged()).isTrue();
    assertThat(table.invalid()).isEmpty();
  }

  @Test
  void aPeerTurningInvalidOrUnmanagedIsRemoved() {
    table.put("a", peer("a", "10.42.1.0/24", "aa:bb:cc:dd:ee:01"));
    assertThat(table.put("a", new Invalid("broken")).peersChanged()).isTrue();
    assertThat(table.peers()).isEmpty();
    table.put("a", peer("a", "10.42.1.0/24", "aa:bb:cc:dd:ee:01"));
    assertThat(table.put("a", new NotPeer()).peersChanged()).isTrue();
    assertThat(table.remove("a")).isEqualTo(PeerTable.Change.NONE);
  }

  @Test
  void pagesAddUpAndTheCompleteListThenChangesNothingButDropsTheGone() {
    table.put("old", peer("old", "10.42.9.0/24", "aa:bb:cc:dd:ee:09"));
    var page1 = table.putAll(Map.of("a", peer("a", "10.42.1.0/24", "aa:bb:cc:dd:ee:01"), "x", new Invalid("broken")));
    assertThat(page1.peersChanged()).isTrue();
    assertThat(page1.newProblems()).containsExactly(Map.entry("x", "broken"));
    assertThat(table.putAll(Map.of("b", peer("b", "10.42.2.0/24", "aa:bb:cc:dd:ee:02"))).peersChanged()).isTrue();
    assertThat(table.peers()).containsOnlyKeys("old", "a", "b"); // a page forgets nobody

    var complete = table.replaceAll(Map.of("a", peer("a", "10.42.1.0/24", "aa:bb:cc:dd:ee:01"), "x", new Invalid("broken"),
        "b", peer("b", "10.42.2.0/24", "aa:bb:cc:dd:ee:02")));
    assertThat(complete.peersChanged()).isTrue();
    assertThat(complete.newProblems()).isEmpty(); // warned about with its page already
    assertThat(table.peers()).containsOnlyKeys("a", "b");
  }

  @Test
  void replaceAllDropsWhatTheListNoLongerHas() {
    table.put("a", peer("a", "10.42.1.0/24", "aa:bb:cc:dd:ee:01"));
    table.put("b", new Invalid("broken"));
    var change = table.replaceAll(Map.of("c", peer("c", "10.42.3.0/24", "aa:bb:cc:dd:ee:03")));
    assertThat(change.peersChanged()).isTrue();
    assertThat(table.peers()).containsOnlyKeys("c");
    assertThat(table.invalid()).isEmpty();
    assertThat(table.replaceAll(Map.of("c", peer("c", "10.42.3.0/24", "aa:bb:cc:dd:ee:03")))).isEqualTo(PeerTable.Change.NONE);
  }

  @Test
  void snapshotsAreImmutableAndStable() {
    table.put("a", peer("a", "10.42.1.0/24", "aa:bb:cc:dd:ee:01"));
    var snap = table.peers();
    table.put("b", peer("b", "10.42.2.0/24", "aa:bb:cc:dd:ee:02"));
    assertThat(snap).containsOnlyKeys("a");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> snap.put("x", null))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
