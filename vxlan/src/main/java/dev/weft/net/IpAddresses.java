package dev.weft.net;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Strict IP address literals: parsing that never touches DNS, RFC 5952 text for IPv6, and the integer view used by
 * the CIDR arithmetic. {@link InetAddress#getByName} is avoided on purpose: it would resolve host names, accept
 * octal-looking IPv4 forms and turn {@code ::ffff:a.b.c.d} into an IPv4 address, all of which an address taken from
 * a config file or a Node annotation must not do.
 */
public final class IpAddresses {
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private IpAddresses() {}

    /**
     * Parses a dotted-quad IPv4 or an IPv6 literal.
     *
     * @throws IllegalArgumentException naming the text when it is not exactly one address literal
     */
    public static InetAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("an IP address is required");
        }
        if (text.indexOf(':') < 0) {
            if (text.indexOf('.') < 0) {
                throw new IllegalArgumentException("not an IP address: " + Texts.quote(text));
            }
            return parseIpv4(text);
        }
        if (!IPV6_CHARS.matcher(text).matches()) {
            throw new IllegalArgumentException("not an IP address: " + Texts.quote(text));
        }
        InetAddress parsed;
        try {
            parsed = Inet6Address.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IPv6 address: " + Texts.quote(text), e);
        }
        if (!(parsed instanceof Inet6Address)) {
            throw new IllegalArgumentException("IPv4-mapped IPv6 addresses are not accepted: " + Texts.quote(text));
        }
        return parsed;
    }

    private static InetAddress parseIpv4(String text) {
        if (text.length() > 15 || !IPV4.matcher(text).matches()) {
            throw new IllegalArgumentException("not an IPv4 address: " + Texts.quote(text));
        }
        String[] parts = text.split("\\.");
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            bytes[i] = (byte) Integer.parseInt(parts[i]);
        }
        return fromBytes(bytes);
    }

    /** The canonical text: dotted quad, or RFC 5952 (lower case, longest zero run as {@code ::}) for IPv6. */
    public static String format(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1; // RFC 5952 4.2.2: a single zero group is not shortened
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    /** Width of the address family in bits: 32 or 128. */
    public static int bits(InetAddress address) {
        return address instanceof Inet4Address ? 32 : 128;
    }

    /** The address as an unsigned integer. */
    public static BigInteger toBigInteger(InetAddress address) {
        return new BigInteger(1, address.getAddress());
    }

    /** The address of the given family whose unsigned integer value is {@code value}. */
    public static InetAddress fromBigInteger(BigInteger value, boolean ipv4) {
        int len = ipv4 ? 4 : 16;
        if (value.signum() < 0 || value.bitLength() > len * 8) {
            throw new IllegalArgumentException("address value out of range: " + value);
        }
        byte[] raw = value.toByteArray();
        byte[] bytes = new byte[len];
        int copy = Math.min(raw.length, len);
        System.arraycopy(raw, raw.length - copy, bytes, len - copy, copy);
        return fromBytes(bytes);
    }

    /**
     * True for an address a VXLAN peer can be reached at: not unspecified, loopback, multicast or the IPv4 limited
     * broadcast address.
     */
    public static boolean isUsableUnicast(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        return !(b.length == 4 && (b[0] & b[1] & b[2] & b[3]) == (byte) 0xff);
    }

    static InetAddress fromBytes(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes); // raw bytes: no name lookup happens
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address length " + bytes.length, e);
        }
    }
}
