package dev.weft.iface;

import java.net.InetAddress;
import java.util.Objects;

/**
 * The outcome of interface selection: the underlay interface, the address the VXLAN device uses
 * as its local end, the public IP published to peers (the same unless {@code --public-ip} says
 * otherwise, e.g. behind NAT), and a one-line human explanation that {@code weft doctor} prints.
 */
public record InterfaceChoice(Iface iface, InetAddress localAddress, InetAddress publicIp, String why) {
    public InterfaceChoice {
        Objects.requireNonNull(iface, "iface");
        Objects.requireNonNull(localAddress, "localAddress");
        Objects.requireNonNull(publicIp, "publicIp");
        Objects.requireNonNull(why, "why");
    }
}
