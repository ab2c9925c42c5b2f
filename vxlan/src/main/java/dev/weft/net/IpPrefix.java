package dev.weft.net;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * An address with a prefix length, IPv4 or IPv6: a subnet ({@code 10.42.3.0/24}) or an
 * interface address ({@code 10.42.3.0/32}). The address is kept as given; {@link #network()}
 * gives the masked form.
 */
public record IpPrefix(InetAddress address, int length) {
    public IpPrefix {
        Objects.requireNonNull(address, "address");
        int max = IpFamily.of(address).bits();
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("prefix length " + length + " out of range 0-" + max + " for " + format(address));
        }
    }

    /**
     * Parses {@code 10.42.0.0/16} or {@code fd00::/64}; a bare address means a host prefix. The
     * address is a strict literal ({@link IpAddresses#parse}): never a name lookup, no octal-looking
     * or IPv4-mapped forms; the length is a plain decimal without leading zeros.
     *
     * @throws IllegalArgumentException naming the text
     */
    public static IpPrefix parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a CIDR is required");
        }
        int slash = text.indexOf('/');
        if (slash != text.lastIndexOf('/') || text.length() > 50) {
            throw new IllegalArgumentException("not a CIDR (address/prefix): " + Texts.quote(text));
        }
        InetAddress a;
        try {
            a = IpAddresses.parse(slash < 0 ? text : text.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a CIDR: " + Texts.quote(text) + ": " + e.getMessage(), e);
        }
        if (slash < 0) {
            return host(a);
        }
        String p = text.substring(slash + 1);
        if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                || (p.length() > 1 && p.charAt(0) == '0')) {
            throw new IllegalArgumentException("not a CIDR: bad prefix length in " + Texts.quote(text));
        }
        int length = Integer.parseInt(p);
        if (length > IpFamily.of(a).bits()) {
            throw new IllegalArgumentException("not a CIDR: prefix length " + length + " too long in " + Texts.quote(text));
        }
        return new IpPrefix(a, length);
    }

    /** Like {@link #parse}, but the prefix length is required: a bare address is refused. */
    public static IpPrefix parseCidr(String text) {
        if (text == null || text.indexOf('/') < 0) {
            throw new IllegalArgumentException("not a CIDR (address/prefix): " + Texts.quote(text));
        }
        return parse(text);
    }

    /** Like {@link #parseCidr}, and the host bits must be zero: {@code 10.42.0.1/16} is refused. */
    public static IpPrefix parseNetwork(String text) {
        IpPrefix p = parseCidr(text);
        if (!p.isNetwork()) {
            throw new IllegalArgumentException(Texts.quote(text) + " has host bits set (the network is " + p.network() + ")");
        }
        return p;
    }

    /** Parses an IP literal ({@link IpAddresses#parse}); the message names {@code context}, the text it came from. */
    public static InetAddress parseAddress(String literal, String context) {
        try {
            return IpAddresses.parse(literal);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid IP address " + Texts.quote(literal) + " in " + Texts.quote(context)
                    + ": " + e.getMessage(), e);
        }
    }

    /** A host prefix ({@code /32} or {@code /128}) for one address. */
    public static IpPrefix host(InetAddress address) {
        return new IpPrefix(address, IpFamily.of(address).bits());
    }

    public IpFamily family() {
        return IpFamily.of(address);
    }

    /** The prefix with host bits cleared, e.g. {@code 10.42.3.7/24 -> 10.42.3.0/24}. */
    public IpPrefix network() {
        return isNetwork() ? this : new IpPrefix(masked(address.getAddress(), length), length);
    }

    public boolean isNetwork() {
        return masked(address.getAddress(), length).equals(address);
    }

    public boolean contains(InetAddress other) {
        return IpFamily.of(other) == family()
                && masked(other.getAddress(), length).equals(masked(address.getAddress(), length));
    }

    public boolean isIpv4() {
        return family() == IpFamily.V4;
    }

    public boolean isIpv6() {
        return family() == IpFamily.V6;
    }

    /** Width of the family in bits (32 or 128). */
    public int bits() {
        return family().bits();
    }

    /** Number of addresses in the range as a power of two exponent: {@code bits() - length()}. */
    public int hostBits() {
        return bits() - length;
    }

    /** The address with the host bits cleared. */
    public InetAddress networkAddress() {
        return network().address();
    }

    /** The first address after the network address: the {@code .1} a node's bridge and subnet.env use. */
    public InetAddress firstHost() {
        if (length >= bits()) {
            throw new IllegalStateException(this + " has no host addresses");
        }
        return IpAddresses.fromBigInteger(networkValue().add(BigInteger.ONE), isIpv4());
    }

    /** {@link #firstHost()} with this prefix length, e.g. {@code 10.42.3.1/24} for {@code 10.42.3.0/24}. */
    public IpPrefix firstHostPrefix() {
        return new IpPrefix(firstHost(), length);
    }

    /** True when {@code other} lies entirely inside this range (same family, prefix at least as long). */
    public boolean contains(IpPrefix other) {
        return other.family() == family() && other.length >= length && contains(other.address);
    }

    /** True when the two ranges share at least one address. */
    public boolean overlaps(IpPrefix other) {
        return contains(other) || other.contains(this);
    }

    /** The network address as an unsigned integer. */
    public BigInteger networkValue() {
        return IpAddresses.toBigInteger(networkAddress());
    }

    /** The last address of the range as an unsigned integer. */
    public BigInteger lastValue() {
        return networkValue().add(BigInteger.ONE.shiftLeft(hostBits())).subtract(BigInteger.ONE);
    }

    @Override
    public String toString() {
        return format(address) + "/" + length;
    }

    /** The address as {@code ip} prints it: dotted quad, or RFC 5952 IPv6 text ({@link IpAddresses#format}). */
    public static String format(InetAddress a) {
        return IpAddresses.format(a);
    }

    private static InetAddress masked(byte[] raw, int length) {
        for (int i = 0; i < raw.length; i++) {
            int keep = Math.clamp(length - 8L * i, 0, 8);
            raw[i] &= (byte) (0xff << (8 - keep));
        }
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // impossible: 4 or 16 bytes
        }
    }
}
