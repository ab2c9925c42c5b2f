package dev.weft.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/** IPv4 or IPv6; code for both is one code parameterised by this. */
public enum IpFamily {
    V4(32, 4),
    V6(128, 16);

    private final int bits;
    private final int bytes;

    IpFamily(int bits, int bytes) {
        this.bits = bits;
        this.bytes = bytes;
    }

    public int bits() {
        return bits;
    }

    public int bytes() {
        return bytes;
    }

    /** {@code IPv4} or {@code IPv6}, as messages spell them. */
    public String label() {
        return this == V4 ? "IPv4" : "IPv6";
    }

    public static IpFamily of(InetAddress address) {
        if (address instanceof Inet4Address) {
            return V4;
        }
        if (address instanceof Inet6Address) {
            return V6;
        }
        throw new IllegalArgumentException("not an IP address: " + address);
    }
}
