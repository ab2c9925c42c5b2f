package dev.weft.lease;

import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.weft.net.IpFamily;
import dev.weft.net.IpPrefix;

/**
 * The subnet(s) this node owns: one per enabled family.
 *
 * @param subnet the node's IPv4 pod subnet, normalised (e.g. {@code 10.42.3.0/24}); empty on an IPv6-only cluster
 * @param subnetV6 its IPv6 pod subnet when IPv6 is enabled
 * @param allocatedByWeft true when weft chose the subnet and holds its lock; false when it adopted a podCIDR that
 *     kube-controller-manager (or k3s) assigned
 */
public record NodeLease(Optional<IpPrefix> subnet, Optional<IpPrefix> subnetV6, boolean allocatedByWeft) {
  public NodeLease {
    Objects.requireNonNull(subnet, "subnet");
    Objects.requireNonNull(subnetV6, "subnetV6");
    if (subnet.isEmpty() && subnetV6.isEmpty()) {
      throw new IllegalArgumentException("a lease holds at least one subnet");
    }
    subnet.ifPresent(s -> require(s, IpFamily.V4));
    subnetV6.ifPresent(s -> require(s, IpFamily.V6));
  }

  /** A lease with an IPv4 subnet (and an IPv6 one on a dual-stack cluster). */
  public NodeLease(IpPrefix subnet, Optional<IpPrefix> subnetV6, boolean allocatedByWeft) {
    this(Optional.of(subnet), subnetV6, allocatedByWeft);
  }

  /** The subnet of {@code family}, if the lease has one. */
  public Optional<IpPrefix> subnet(IpFamily family) {
    return family == IpFamily.V4 ? subnet : subnetV6;
  }

  /** {@code 10.42.3.0/24}, {@code 10.42.3.0/24 and fd42:0:0:3::/64}, or {@code fd42:0:0:3::/64}. */
  public String describe() {
    return Stream.of(subnet, subnetV6).flatMap(Optional::stream).map(IpPrefix::toString).collect(Collectors.joining(" and "));
  }

  private static void require(IpPrefix s, IpFamily f) {
    if (s.family() != f) {
      throw new IllegalArgumentException("the " + f.label() + " subnet of a lease is " + s);
    }
  }
}
