package dev.weft.rtnl;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A network interface as the kernel reports it ({@code ip -d link show}).
 *
 * @param index  interface index
 * @param name   interface name
 * @param mtu    MTU in bytes
 * @param mac    hardware address; empty for devices without an Ethernet address
 * @param up     administratively up (IFF_UP)
 * @param kind   the link type's kind ({@code vxlan}, {@code veth}, ...); empty for physical devices and loopback
 * @param vxlan  VXLAN parameters, present when {@code kind} is {@code vxlan}
 * @param master index of the device this one is enslaved to (a bridge), if any
 * @param link   index of the parent/peer device (veth peer, VLAN parent), if any
 */
public record Link(int index, String name, int mtu, Optional<MacAddress> mac, boolean up, Optional<String> kind,
                   Optional<VxlanInfo> vxlan, OptionalInt master, OptionalInt link) {
    public Link {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(vxlan, "vxlan");
        Objects.requireNonNull(master, "master");
        Objects.requireNonNull(link, "link");
    }

    public boolean isVxlan() {
        return kind.filter("vxlan"::equals).isPresent();
    }
}
