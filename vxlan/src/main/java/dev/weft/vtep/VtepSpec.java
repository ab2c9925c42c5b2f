package dev.weft.vtep;

import dev.weft.net.IpPrefix;
import dev.weft.rtnl.LinkNames;
import dev.weft.rtnl.MacAddress;
import dev.weft.rtnl.VxlanLinkSpec;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The VXLAN tunnel endpoint a node should have (DESIGN.md, "Data plane per node").
 *
 * @param name          device name, e.g. {@code flannel.1}
 * @param vni           VXLAN network identifier
 * @param local         the node's public (underlay) address: source of encapsulated packets
 * @param underlayIndex interface index of the underlay device
 * @param port          UDP port, 8472 for flannel compatibility
 * @param learning      source-address learning (flannel: off)
 * @param gbp           Group Based Policy extension
 * @param mtu           explicit MTU; empty means underlay MTU − 50 (− 70 with an IPv6 {@code local})
 * @param mac           pinned MAC (the one already published in the node's annotation); empty lets the kernel choose
 * @param address       {@code <subnet network address>/32} (or {@code /128}) to put on the device
 */
public record VtepSpec(String name, int vni, InetAddress local, int underlayIndex, int port, boolean learning,
                       boolean gbp, OptionalInt mtu, Optional<MacAddress> mac, IpPrefix address) {
    public VtepSpec {
        LinkNames.validate(name);
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(mtu, "mtu");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(address, "address");
        if (local.isAnyLocalAddress() || local.isMulticastAddress()) {
            throw new IllegalArgumentException("VTEP local address " + IpPrefix.format(local)
                    + " must be a unicast address of this node");
        }
        if (address.length() != address.family().bits()) {
            throw new IllegalArgumentException("VTEP address " + address + " must be a host prefix (/"
                    + address.family().bits() + "): the subnet's network address");
        }
        // The link-level checks (VNI range, port, MTU bounds, MAC kind) are the link spec's.
        new VxlanLinkSpec(name, vni, local, underlayIndex, port, learning, gbp, OptionalInt.of(mtu.orElse(1500)), mac);
    }

    /** The link to create, with the MTU already resolved. */
    VxlanLinkSpec toLinkSpec(int resolvedMtu) {
        return new VxlanLinkSpec(name, vni, local, underlayIndex, port, learning, gbp, OptionalInt.of(resolvedMtu), mac);
    }

    /** VXLAN overhead on the underlay: outer IPv4 (20) or IPv6 (40) + UDP (8) + VXLAN (8) + inner Ethernet (14). */
    int overhead() {
        return local.getAddress().length == 4 ? 50 : 70;
    }
}
