package dev.weft.cni.types;

import java.util.Arrays;

/**
 * An IPv4 or IPv6 address with a prefix length, e.g. {@code 10.42.3.1/24}: what CNI results,
 * subnet.env and host-local ranges are made of. Parsed and formatted here rather than through
 * {@link java.net.InetAddress}, which would load the JDK's name-service machinery and native
 * networking library into a process that lives for a few milliseconds.
 */
public final class IpPrefix {
    private final byte[] address;
    private final int prefixLength;

    private IpPrefix(byte[] address, int prefixLength) {
        this.address = address;
        this.prefixLength = prefixLength;
    }

    /** Parses {@code address/length}; throws IllegalArgumentException saying what is wrong. */
    public static IpPrefix parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + cidr + "' is not in CIDR form address/prefix-length");
        }
        byte[] addr;
        try {
            addr = parseAddress(cidr.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + cidr + "': " + e.getMessage());
        }
        String len = cidr.substring(slash + 1);
        int bits = addr.length * 8;
        int n = asciiDecimal(len);
        if (n < 0 || n > bits) {
            throw new IllegalArgumentException("'" + cidr + "' has an invalid prefix length (0.." + bits + ")");
        }
        return new IpPrefix(addr, n);
    }

    /** Parses a bare IPv4 or IPv6 address literal into 4 or 16 bytes. */
    public static byte[] parseAddress(String s) {
        byte[] b = s.indexOf(':') >= 0 ? parseV6(s) : parseV4(s);
        if (b == null) {
            throw new IllegalArgumentException("'" + s + "' is not an IPv4 or IPv6 address");
        }
        return b;
    }

    public boolean isIpv4() {
        return address.length == 4;
    }

    public int prefixLength() {
        return prefixLength;
    }

    /** The address bytes (a copy). */
    public byte[] address() {
        return address.clone();
    }

    /** The same prefix with the host bits cleared: {@code 10.42.3.1/24} gives {@code 10.42.3.0/24}. */
    public IpPrefix network() {
        byte[] n = address.clone();
        for (int i = 0; i < n.length; i++) {
            int keep = Math.max(0, Math.min(8, prefixLength - i * 8));
            n[i] &= (byte) (0xff << (8 - keep));
        }
        return new IpPrefix(n, prefixLength);
    }

    /**
     * The first host address of the network, {@code 10.42.3.1} for {@code 10.42.3.0/24}: what
     * host-local hands out as a range's gateway when none is configured.
     */
    public String firstHostText() {
        byte[] a = network().address;
        for (int i = a.length - 1; i >= 0; i--) {
            if (++a[i] != 0) {
                break;
            }
        }
        return formatAddress(a);
    }

    /** True when {@code addr} (4 or 16 bytes) lies inside this prefix. */
    public boolean contains(byte[] addr) {
        if (addr.length != address.length) {
            return false;
        }
        return Arrays.equals(network().address, new IpPrefix(addr.clone(), prefixLength).network().address);
    }

    /** True when every address of {@code other} lies inside this prefix. */
    public boolean contains(IpPrefix other) {
        return other.prefixLength >= prefixLength && contains(other.address);
    }

    /** The address without the prefix length, canonical text (RFC 5952 for IPv6). */
    public String addressText() {
        return formatAddress(address);
    }

    public static String formatAddress(byte[] a) {
        if (a.length == 4) {
            return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (a[2 * i] & 0xff) << 8 | (a[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1; // a single zero group is not compressed (RFC 5952 4.2.2)
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return addressText() + "/" + prefixLength;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpPrefix p && p.prefixLength == prefixLength && Arrays.equals(p.address, address);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(address) * 31 + prefixLength;
    }

    /** A non-negative ASCII decimal of at most 3 digits without sign or leading zero, else -1. */
    private static int asciiDecimal(String s) {
        if (s.isEmpty() || s.length() > 3 || (s.length() > 1 && s.charAt(0) == '0')) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static byte[] parseV4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int i = 0;
        while (part < 4) {
            int start = i;
            int v = 0;
            while (i < s.length() && i - start < 3 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                v = v * 10 + (s.charAt(i++) - '0');
            }
            // no empty parts, no leading zeros (they read as octal elsewhere), each 0..255
            if (i == start || v > 255 || (i - start > 1 && s.charAt(start) == '0')) {
                return null;
            }
            out[part++] = (byte) v;
            if (part < 4) {
                if (i >= s.length() || s.charAt(i) != '.') {
                    return null;
                }
                i++;
            }
        }
        return i == s.length() ? out : null;
    }

    private static byte[] parseV6(String s) {
        int dc = s.indexOf("::");
        if (dc >= 0 && s.indexOf("::", dc + 1) >= 0) {
            return null;
        }
        String head = dc >= 0 ? s.substring(0, dc) : s;
        String tail = dc >= 0 ? s.substring(dc + 2) : "";
        int[] h = groups(head);
        int[] t = groups(tail);
        if (h == null || t == null) {
            return null;
        }
        int total = h.length + t.length;
        if (dc < 0 ? total != 8 : total > 7) {
            return null;
        }
        byte[] out = new byte[16];
        for (int i = 0; i < h.length; i++) {
            out[2 * i] = (byte) (h[i] >> 8);
            out[2 * i + 1] = (byte) h[i];
        }
        for (int i = 0; i < t.length; i++) {
            int at = 8 - t.length + i;
            out[2 * at] = (byte) (t[i] >> 8);
            out[2 * at + 1] = (byte) t[i];
        }
        return out;
    }

    /** Colon-separated hex groups; a trailing dotted quad counts as two groups. */
    private static int[] groups(String s) {
        if (s.isEmpty()) {
            return new int[0];
        }
        String[] parts = s.split(":", -1);
        int extra = parts[parts.length - 1].indexOf('.') >= 0 ? 1 : 0;
        int[] out = new int[parts.length + extra];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (i == parts.length - 1 && extra == 1) {
                byte[] v4 = parseV4(p);
                if (v4 == null) {
                    return null;
                }
                out[i] = (v4[0] & 0xff) << 8 | (v4[1] & 0xff);
                out[i + 1] = (v4[2] & 0xff) << 8 | (v4[3] & 0xff);
                continue;
            }
            if (p.isEmpty() || p.length() > 4) {
                return null;
            }
            int v = 0;
            for (int k = 0; k < p.length(); k++) {
                int d = Character.digit(p.charAt(k), 16);
                if (d < 0 || p.charAt(k) > 0x7f) {
                    return null;
                }
                v = v * 16 + d;
            }
            out[i] = v;
        }
        return out;
    }
}
