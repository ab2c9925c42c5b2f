package dev.weft.lease;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

import dev.weft.net.IpPrefix;

/**
 * What the data plane needs to reach one other node: its subnet, the underlay address VXLAN packets go to and the MAC
 * of its VXLAN device. Built from a Node written by weft or by flanneld, which look the same.
 *
 * @param nodeName the Node's name
 * @param subnet the node's IPv4 pod subnet (its {@code spec.podCIDR})
 * @param publicIp underlay IPv4 address ({@code public-ip} annotation)
 * @param vtepMac MAC of the node's VXLAN device, lower case {@code aa:bb:cc:dd:ee:ff}
 * @param vni the VNI from the node's backend-data (always the local VNI: other VNIs are not peers)
 * @param backendType the {@code backend-type} annotation, {@code vxlan}
 * @param subnetV6 IPv6 pod subnet, when the node publishes IPv6
 * @param publicIpV6 underlay IPv6 address ({@code public-ipv6})
 * @param vtepMacV6 MAC of the node's IPv6 VXLAN device ({@code backend-v6-data})
 */
public record PeerInfo(
    String nodeName,
    IpPrefix subnet,
    InetAddress publicIp,
    String vtepMac,
    int vni,
    String backendType,
    Optional<IpPrefix> subnetV6,
    Optional<InetAddress> publicIpV6,
    Optional<String> vtepMacV6) {

  public PeerInfo {
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(subnet, "subnet");
    Objects.requireNonNull(publicIp, "publicIp");
    Objects.requireNonNull(vtepMac, "vtepMac");
    Objects.requireNonNull(backendType, "backendType");
    Objects.requireNonNull(subnetV6, "subnetV6");
    Objects.requireNonNull(publicIpV6, "publicIpV6");
    Objects.requireNonNull(vtepMacV6, "vtepMacV6");
  }

  /** An IPv4-only peer. */
  public static PeerInfo ipv4(String nodeName, IpPrefix subnet, InetAddress publicIp, String vtepMac, int vni) {
    return new PeerInfo(nodeName, subnet, publicIp, vtepMac, vni, Backend.VXLAN, Optional.empty(), Optional.empty(),
        Optional.empty());
  }
}
