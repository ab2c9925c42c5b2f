package dev.weft.iface;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.weft.net.IpFamily;

/**
 * A host network interface as interface selection sees it: name, kernel index, MTU,
 * administratively/operationally up, and its addresses in kernel order.
 */
public record Iface(String name, int index, int mtu, boolean up, List<IfaceAddress> addresses) {
    public Iface {
        Objects.requireNonNull(name, "name");
        addresses = List.copyOf(addresses);
    }

    /** True when {@code address} is configured on this interface. */
    public boolean has(InetAddress address) {
        return addresses.stream().anyMatch(a -> a.address().equals(address));
    }

    /**
     * The address weft uses as the tunnel's local end when only the interface is known: the first
     * IPv4 address that is not link-local, else the first such IPv6 address (as flannel prefers IPv4).
     */
    public Optional<InetAddress> preferredAddress() {
        Optional<InetAddress> v4 = addresses.stream()
                .filter(a -> !a.ipv6() && !a.linkLocal() && !a.address().isMulticastAddress())
                .map(IfaceAddress::address).findFirst();
        if (v4.isPresent()) {
            return v4;
        }
        return addresses.stream()
                .filter(a -> a.ipv6() && !a.linkLocal() && !a.address().isMulticastAddress())
                .map(IfaceAddress::address).findFirst();
    }

    /** The first address of {@code family} that is neither link-local nor multicast: the IPv6 VTEP's local end. */
    public Optional<InetAddress> preferredAddress(IpFamily family) {
        return addresses.stream()
                .filter(a -> a.ipv6() == (family == IpFamily.V6) && !a.linkLocal() && !a.address().isMulticastAddress())
                .map(IfaceAddress::address).findFirst();
    }
}
