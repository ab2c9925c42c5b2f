package dev.weft.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

import dev.weft.net.IpPrefix;

class SubnetPoolTest {
  private static SubnetPool pool(String net, int len) {
    return new SubnetPool(IpPrefix.parseCidr(net), len, Optional.empty(), Optional.empty());
  }

  @Test
  void slash16Holds256Slash24s() {
    SubnetPool p = pool("10.42.0.0/16", 24);
    assertThat(p.size()).isEqualTo(256);
    assertThat(p.subnet(0).toString()).isEqualTo("10.42.0.0/24");
    assertThat(p.subnet(255).toString()).isEqualTo("10.42.255.0/24");
    assertThat(p.stream().distinct().count()).isEqualTo(256);
    assertThat(p.indexOf(IpPrefix.parseCidr("10.42.17.0/24"))).hasValue(17);
    assertThat(p.indexOf(IpPrefix.parseCidr("10.42.17.0/25"))).isEmpty();
    assertThat(p.indexOf(IpPrefix.parseCidr("10.43.0.0/24"))).isEmpty();
    assertThatThrownBy(() -> p.subnet(256)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void subnetMinAndMaxBoundThePool() {
    SubnetPool p = new SubnetPool(IpPrefix.parseCidr("10.42.0.0/16"), 24, Optional.of(IpPrefix.parseCidr("10.42.10.0/24")),
        Optional.of(IpPrefix.parseCidr("10.42.19.0/24")));
    assertThat(p.size()).isEqualTo(10);
    assertThat(p.subnet(0).toString()).isEqualTo("10.42.10.0/24");
    assertThat(p.subnet(9).toString()).isEqualTo("10.42.19.0/24");
    assertThat(p.freeCandidates(List.of(), new SplittableRandom(1), 100)).hasSize(10)
        .allMatch(c -> p.indexOf(c).isPresent());
    assertThatThrownBy(() -> new SubnetPool(IpPrefix.parseCidr("10.42.0.0/16"), 24, Optional.of(IpPrefix.parseCidr("10.42.10.128/24")),
        Optional.empty())).hasMessageContaining("boundary");
    assertThatThrownBy(() -> new SubnetPool(IpPrefix.parseCidr("10.42.0.0/16"), 24, Optional.of(IpPrefix.parseCidr("10.43.0.0/24")),
        Optional.empty())).hasMessageContaining("not inside");
    assertThatThrownBy(() -> new SubnetPool(IpPrefix.parseCidr("10.42.0.0/16"), 24, Optional.of(IpPrefix.parseCidr("10.42.5.0/24")),
        Optional.of(IpPrefix.parseCidr("10.42.4.0/24")))).hasMessageContaining("above");
  }

  @Test
  void smallestSubnetAndSmallestNetwork() {
    SubnetPool p = pool("10.0.0.0/28", 30);
    assertThat(p.size()).isEqualTo(4);
    assertThat(p.subnet(3).toString()).isEqualTo("10.0.0.12/30");
    assertThat(pool("10.0.0.0/24", 24).size()).isEqualTo(1);
    assertThatThrownBy(() -> pool("10.0.0.0/24", 23)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void freeSearchSkipsEverythingThatOverlapsAUsedRange() {
    SubnetPool p = pool("10.42.0.0/22", 24); // 10.42.0-3
    List<IpPrefix> used = List.of(
        IpPrefix.parseCidr("10.42.0.128/26"), // inside .0/24: blocks it
        IpPrefix.parseCidr("10.42.2.0/23"), // covers .2 and .3
        IpPrefix.parseCidr("192.168.0.0/16"), // elsewhere: ignored
        IpPrefix.parseCidr("fd00::/64")); // other family: ignored
    assertThat(p.freeCandidates(used, new SplittableRandom(7), 10)).containsExactly(IpPrefix.parseCidr("10.42.1.0/24"));
    assertThat(p.freeCount(used)).isEqualTo(1);
  }

  @Test
  void aUsedRangeThatContainsTheWholeNetworkExhaustsIt() {
    SubnetPool p = pool("10.42.0.0/16", 24);
    assertThat(p.freeCandidates(List.of(IpPrefix.parseCidr("10.0.0.0/8")), new SplittableRandom(1), 5)).isEmpty();
    assertThat(p.freeCount(List.of(IpPrefix.parseCidr("10.0.0.0/8")))).isZero();
  }

  @Test
  void fullPoolYieldsNothing() {
    SubnetPool p = pool("10.42.0.0/22", 24);
    List<IpPrefix> all = p.stream().toList();
    assertThat(p.freeCandidates(all, new SplittableRandom(3), 16)).isEmpty();
  }

  @Test
  void candidatesAreDistinctFreeAndSpread() {
    SubnetPool p = pool("10.42.0.0/16", 24);
    List<IpPrefix> used = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      used.add(p.subnet(i));
    }
    List<IpPrefix> picks = p.freeCandidates(used, new SplittableRandom(11), 16);
    assertThat(picks).hasSize(16).doesNotHaveDuplicates().allMatch(c -> p.indexOf(c).getAsLong() >= 200);
    var firsts = new HashSet<IpPrefix>();
    for (int seed = 0; seed < 20; seed++) {
      firsts.add(p.freeCandidates(used, new SplittableRandom(seed), 1).getFirst());
    }
    assertThat(firsts.size()).as("random order, not lowest-first").isGreaterThan(5);
  }

  @Test
  void hugeIpv6PoolIsProbedNotEnumerated() {
    SubnetPool p = pool("fd00::/16", 64); // 2^48 subnets
    assertThat(p.size()).isEqualTo(1L << 48);
    List<IpPrefix> used = List.of(IpPrefix.parseCidr("fd00::/17")); // half of it
    List<IpPrefix> picks = p.freeCandidates(used, new SplittableRandom(5), 16);
    assertThat(picks).hasSize(16).doesNotHaveDuplicates()
        .allMatch(c -> !IpPrefix.parseCidr("fd00::/17").contains(c) && IpPrefix.parseCidr("fd00::/16").contains(c) && c.length() == 64);
  }

  @Test
  void denseHugePoolFallsBackToAWalk() {
    SubnetPool p = pool("fd00::/32", 64); // 2^32 subnets
    List<IpPrefix> used = List.of(IpPrefix.parseCidr("fd00::/33"), IpPrefix.parseCidr("fd00:0:8000::/34"), IpPrefix.parseCidr("fd00:0:c000::/35"),
        IpPrefix.parseCidr("fd00:0:e000::/36"), IpPrefix.parseCidr("fd00:0:f000::/37"), IpPrefix.parseCidr("fd00:0:f800::/38"),
        IpPrefix.parseCidr("fd00:0:fc00::/39"), IpPrefix.parseCidr("fd00:0:fe00::/40"), IpPrefix.parseCidr("fd00:0:ff00::/41"),
        IpPrefix.parseCidr("fd00:0:ff80::/42"), IpPrefix.parseCidr("fd00:0:ffc0::/43"), IpPrefix.parseCidr("fd00:0:ffe0::/44"),
        IpPrefix.parseCidr("fd00:0:fff0::/45"), IpPrefix.parseCidr("fd00:0:fff8::/46")); // all but the last 2^18 subnets
    assertThat(p.freeCount(used)).isEqualTo(1L << 18);
    List<IpPrefix> picks = p.freeCandidates(used, new SplittableRandom(9), 16);
    assertThat(picks).hasSize(16).doesNotHaveDuplicates().allMatch(c -> used.stream().noneMatch(u -> u.overlaps(c)));
  }

  @Test
  void tooManySubnetsIsRefused() {
    assertThatThrownBy(() -> pool("fd00::/0", 64)).hasMessageContaining("2^62");
  }
}
