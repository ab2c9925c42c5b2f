package dev.weft.e2e.cluster;

/**
 * The cluster's physical network: a Linux bridge in a namespace of its own, every host plugged
 * into it with a veth pair. Addresses come from 198.18.0.0/24 (benchmarking range, never routed
 * anywhere) and, for dual-stack clusters, from the ULA fd98:18::/64; nothing connects this switch
 * to the machine's own network.
 */
public final class Underlay {
    public static final String PREFIX_LEN = "24";
    public static final String GATEWAY = "198.18.0.1";
    public static final String API_IP = "198.18.0.2";
    public static final String OUTSIDE_IP = "198.18.0.250";
    public static final String PREFIX_LEN_V6 = "64";
    public static final String GATEWAY_V6 = "fd98:18::1";

    private final Ns ns;

    public Underlay(Ns ns) {
        this.ns = ns;
        ns.ip("link", "add", "br0", "type", "bridge");
        ns.ip("addr", "add", GATEWAY + "/" + PREFIX_LEN, "dev", "br0");
        ns.ip("addr", "add", GATEWAY_V6 + "/" + PREFIX_LEN_V6, "dev", "br0", "nodad");
        ns.ip("link", "set", "br0", "up");
    }

    public Ns ns() {
        return ns;
    }

    /** The underlay address of node {@code index} (1-based). */
    public static String nodeIp(int index) {
        if (index < 1 || index > 200) {
            throw new IllegalArgumentException("node index out of range: " + index);
        }
        return "198.18.0." + (10 + index);
    }

    /** The IPv6 underlay address of node {@code index} (1-based). */
    public static String nodeIpV6(int index) {
        nodeIp(index); // the same range check
        return "fd98:18::" + Integer.toHexString(10 + index);
    }

    /**
     * Plugs {@code host} in: its {@code eth0} gets {@code ip}/24 and a default route via the
     * switch, as a node's default-route interface would on a real machine (the switch namespace
     * does not forward, so nothing reaches past it).
     */
    public void attach(Ns host, String tag, String ip) {
        attach(host, tag, ip, null);
    }

    /**
     * As {@link #attach(Ns, String, String)}, and with {@code ipv6} (when not null) also an IPv6
     * address, without duplicate address detection (nothing else on this switch can hold it, and
     * a tentative address would hold the VXLAN device back), and an IPv6 default route.
     */
    public void attach(Ns host, String tag, String ip, String ipv6) {
        String port = ("u-" + tag);
        if (port.length() > 15) {
            throw new IllegalArgumentException("underlay port name too long: " + port);
        }
        ns.ip("link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", host.name());
        ns.ip("link", "set", port, "master", "br0", "up");
        host.ip("addr", "add", ip + "/" + PREFIX_LEN, "dev", "eth0");
        host.ip("link", "set", "eth0", "up");
        host.ip("route", "add", "default", "via", GATEWAY, "dev", "eth0");
        if (ipv6 != null) {
            host.ip("addr", "add", ipv6 + "/" + PREFIX_LEN_V6, "dev", "eth0", "nodad");
            host.ip("-6", "route", "add", "default", "via", GATEWAY_V6, "dev", "eth0");
        }
    }
}
