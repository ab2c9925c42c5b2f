package dev.weft.testing;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Wires two test namespaces together with a veth pair, the stand-in for a physical underlay
 * (this kernel has no dummy links). Addresses must come from 198.18.0.0/15 or 198.51.100.0/24.
 */
public final class Veth {
    private Veth() {
    }

    /**
     * Creates {@code nameA} in {@code a} and {@code nameB} in {@code b}, addresses them with
     * {@code cidrA}/{@code cidrB} (e.g. {@code 198.18.0.1/24}; null for none) and sets both up.
     */
    public static void connect(TestNetns a, String nameA, String cidrA, TestNetns b, String nameB, String cidrB) {
        a.ip("link", "add", nameA, "type", "veth", "peer", "name", nameB, "netns", b.name());
        configure(a, nameA, cidrA);
        configure(b, nameB, cidrB);
    }

    /** Both ends in one namespace: {@code nameA} carries {@code cidr}, {@code nameB} just stays up. */
    public static void loop(TestNetns ns, String nameA, String cidr, String nameB) {
        ns.ip("link", "add", nameA, "type", "veth", "peer", "name", nameB);
        configure(ns, nameA, cidr);
        configure(ns, nameB, null);
    }

    private static void configure(TestNetns ns, String name, String cidr) {
        if (cidr != null) {
            requireTestRange(cidr);
            ns.ip("addr", "add", cidr, "dev", name);
        }
        ns.ip("link", "set", name, "up");
    }

    /** Refuses underlay addresses outside the ranges reserved for these tests. */
    public static void requireTestRange(String cidr) {
        String literal = cidr.contains("/") ? cidr.substring(0, cidr.indexOf('/')) : cidr;
        byte[] a = InetAddress.ofLiteral(literal).getAddress();
        boolean ok;
        if (InetAddress.ofLiteral(literal) instanceof Inet4Address) {
            int b0 = a[0] & 0xff;
            int b1 = a[1] & 0xff;
            int b2 = a[2] & 0xff;
            ok = b0 == 198 && (b1 == 18 || b1 == 19) || b0 == 198 && b1 == 51 && b2 == 100;
        } else {
            ok = (a[0] & 0xff) == 0xfd; // unique local addresses stay inside the test namespaces
        }
        if (!ok) {
            throw new IllegalArgumentException("test underlay address " + cidr
                    + " is outside 198.18.0.0/15, 198.51.100.0/24 and fd00::/8");
        }
    }
}
