package dev.weft.iface;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/** One address configured on an interface, with its prefix length ({@code ip addr}'s {@code 10.0.0.5/24}). */
public record IfaceAddress(InetAddress address, int prefixLength) {
    public IfaceAddress {
        Objects.requireNonNull(address, "address");
        int max = address instanceof Inet4Address ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of range for " + address);
        }
    }

    /** True for IPv4 169.254/16 and IPv6 fe80::/10: never a usable tunnel endpoint. */
    public boolean linkLocal() {
        return address.isLinkLocalAddress();
    }

    /** True for IPv6 addresses. */
    public boolean ipv6() {
        return address instanceof Inet6Address;
    }

    @Override
    public String toString() {
        return dev.weft.net.IpAddresses.format(address) + "/" + prefixLength;
    }
}
