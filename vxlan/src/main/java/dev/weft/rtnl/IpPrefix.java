package dev.weft.rtnl;

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

    /** Parses {@code 10.42.0.0/16} or {@code fd00::/64}; a bare address means a host prefix. Never resolves names. */
    public static IpPrefix parse(String text) {
        Objects.requireNonNull(text, "prefix");
        String t = text.strip();
        int slash = t.indexOf('/');
        InetAddress a = parseAddress(slash < 0 ? t : t.substring(0, slash), text);
        if (slash < 0) {
            return new IpPrefix(a, IpFamily.of(a).bits());
        }
        String len = t.substring(slash + 1);
        if (!len.matches("\\d{1,3}")) {
            throw new IllegalArgumentException("invalid prefix '" + text + "': length '" + len + "' is not a number");
        }
        return new IpPrefix(a, Integer.parseInt(len));
    }

    /** Parses an IP literal without ever doing a DNS lookup. */
    public static InetAddress parseAddress(String literal, String context) {
        if (literal.isEmpty() || !literal.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("invalid IP address '" + literal + "' in '" + context + "'");
        }
        if (literal.indexOf(':') < 0 && !literal.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException("invalid IPv4 address '" + literal + "' in '" + context + "'");
        }
        try {
            return InetAddress.ofLiteral(literal);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid IP address '" + literal + "' in '" + context + "'", e);
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

    @Override
    public String toString() {
        return format(address) + "/" + length;
    }

    /**
     * The address as {@code ip} prints it: dotted quad, or RFC 5952 IPv6 text (lower case, the
     * longest run of two or more zero groups compressed to "::").
     */
    public static String format(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 4) {
            return a.getHostAddress();
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (b[2 * i] & 0xff) << 8 | b[2 * i + 1] & 0xff;
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(g[i]));
        }
        return s.toString();
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
