package dev.weft.masq;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

import dev.weft.net.Addresses;

/**
 * A CIDR block such as {@code 10.42.0.0/16} or {@code fd00:42::/56}, host bits zero. Rendered
 * the way iptables-save and nft print it (IPv6 compressed per RFC 5952), because the rule check
 * compares text.
 */
public record IpNetwork(InetAddress address, int prefixLength) {
    public IpNetwork {
        Objects.requireNonNull(address, "address");
        int bits = address instanceof Inet4Address ? 32 : 128;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of range for " + address.getHostAddress());
        }
        byte[] b = address.getAddress();
        for (int i = prefixLength; i < bits; i++) {
            if ((b[i / 8] & (0x80 >>> (i % 8))) != 0) {
                throw new IllegalArgumentException(address.getHostAddress() + "/" + prefixLength + " has host bits set");
            }
        }
    }

    /** Parses {@code a.b.c.d/n} or {@code v6/n}; throws {@link IllegalArgumentException} naming the text. */
    public static IpNetwork parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + cidr + "' is not a CIDR (missing /prefix)");
        }
        InetAddress a;
        int len;
        try {
            a = InetAddress.ofLiteral(cidr.substring(0, slash));
            len = Integer.parseInt(cidr.substring(slash + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + cidr + "' is not a CIDR", e);
        }
        return new IpNetwork(a, len);
    }

    /** True for IPv6 networks. */
    public boolean ipv6() {
        return address instanceof Inet6Address;
    }

    @Override
    public String toString() {
        return Addresses.format(address) + "/" + prefixLength;
    }
}
