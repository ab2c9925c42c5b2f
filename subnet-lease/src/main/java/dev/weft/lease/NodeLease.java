package dev.weft.lease;

import java.util.Objects;
import java.util.Optional;

import dev.weft.net.IpPrefix;

/**
 * The subnet(s) this node owns.
 *
 * @param subnet the node's IPv4 pod subnet, normalised (e.g. {@code 10.42.3.0/24})
 * @param subnetV6 its IPv6 pod subnet when IPv6 is enabled
 * @param allocatedByWeft true when weft chose the subnet and holds its lock; false when it adopted a podCIDR that
 *     kube-controller-manager (or k3s) assigned
 */
public record NodeLease(IpPrefix subnet, Optional<IpPrefix> subnetV6, boolean allocatedByWeft) {
  public NodeLease {
    Objects.requireNonNull(subnet, "subnet");
    Objects.requireNonNull(subnetV6, "subnetV6");
  }
}
