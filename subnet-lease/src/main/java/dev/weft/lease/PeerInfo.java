package dev.weft.lease;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

import dev.weft.net.IpFamily;
import dev.weft.net.IpPrefix;

/**
 * What the data plane needs to reach one other node, per address family: its subnet, the underlay address its
 * packets go to and the MAC of its VXLAN device. Built from a Node written by weft or by flanneld, which look the
 * same. A peer has at least one family; which ones depends on the cluster ({@code EnableIPv4}, {@code EnableIPv6})
 * and on what the Node publishes.
 *
 * @param nodeName the Node's name
 * @param vni the VNI from the node's backend-data (always the local VNI: other VNIs are not peers)
 * @param backendType the {@code backend-type} annotation, {@code vxlan} or {@code host-gw}
 * @param ipv4 the IPv4 part: {@code spec.podCIDR}, {@code public-ip}, {@code backend-data}'s VtepMAC
 * @param ipv6 the IPv6 part: the IPv6 {@code spec.podCIDRs} entry, {@code public-ipv6}, {@code backend-v6-data}'s VtepMAC
 */
public record PeerInfo(String nodeName, int vni, String backendType, Optional<Endpoint> ipv4, Optional<Endpoint> ipv6) {

  /**
   * One family of a peer.
   *
   * @param subnet the pod subnet of that family, normalised
   * @param publicIp the underlay address of that family
   * @param vtepMac MAC of the VXLAN device of that family, lower case {@code aa:bb:cc:dd:ee:ff}; empty with host-gw
   */
  public record Endpoint(IpPrefix subnet, InetAddress publicIp, String vtepMac) {
    public Endpoint {
      Objects.requireNonNull(subnet, "subnet");
      Objects.requireNonNull(publicIp, "publicIp");
      Objects.requireNonNull(vtepMac, "vtepMac");
      if (IpFamily.of(publicIp) != subnet.family()) {
        throw new IllegalArgumentException("public IP " + publicIp.getHostAddress() + " is not of the family of " + subnet);
      }
    }
  }

  public PeerInfo {
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(backendType, "backendType");
    Objects.requireNonNull(ipv4, "ipv4");
    Objects.requireNonNull(ipv6, "ipv6");
    if (ipv4.isEmpty() && ipv6.isEmpty()) {
      throw new IllegalArgumentException("peer " + nodeName + " has neither an IPv4 nor an IPv6 part");
    }
    ipv4.ifPresent(e -> requireFamily(e, IpFamily.V4));
    ipv6.ifPresent(e -> requireFamily(e, IpFamily.V6));
  }

  /** An IPv4-only vxlan peer. */
  public static PeerInfo ipv4(String nodeName, IpPrefix subnet, InetAddress publicIp, String vtepMac, int vni) {
    return new PeerInfo(nodeName, vni, Backend.VXLAN, Optional.of(new Endpoint(subnet, publicIp, vtepMac)), Optional.empty());
  }

  /** The part of {@code family}, if the peer has one. */
  public Optional<Endpoint> endpoint(IpFamily family) {
    return family == IpFamily.V4 ? ipv4 : ipv6;
  }

  /** This peer with its IPv6 part replaced. */
  public PeerInfo withIpv6(Optional<Endpoint> v6) {
    return new PeerInfo(nodeName, vni, backendType, ipv4, v6);
  }

  private static void requireFamily(Endpoint e, IpFamily f) {
    if (e.subnet().family() != f) {
      throw new IllegalArgumentException("the " + f.label() + " part of a peer holds " + e.subnet());
    }
  }
}
