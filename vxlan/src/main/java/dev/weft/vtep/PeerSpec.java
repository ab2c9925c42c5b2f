package dev.weft.vtep;

import dev.weft.net.IpPrefix;
import dev.weft.rtnl.MacAddress;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One peer node as the data plane needs it.
 *
 * @param subnet   the peer's pod subnet, e.g. {@code 10.42.2.0/24}
 * @param publicIp the peer's underlay address (VXLAN destination)
 * @param vtepMac  the peer's VTEP MAC (from its annotation)
 * @param direct   DirectRouting applies: the peer is on a directly connected underlay subnet, so
 *                 a plain route via {@code publicIp} replaces the tunnel (see {@link Vtep#isDirectlyReachable})
 */
public record PeerSpec(IpPrefix subnet, InetAddress publicIp, MacAddress vtepMac, boolean direct) {
    public PeerSpec {
        Objects.requireNonNull(subnet, "subnet");
        Objects.requireNonNull(publicIp, "publicIp");
        Objects.requireNonNull(vtepMac, "vtepMac");
        if (!subnet.isNetwork()) {
            throw new IllegalArgumentException("peer subnet " + subnet + " has host bits set (expected " + subnet.network() + ")");
        }
        if (vtepMac.isZero() || vtepMac.isMulticast()) {
            throw new IllegalArgumentException("peer VtepMAC " + vtepMac + " must be a unicast, non-zero address");
        }
        if (publicIp.isAnyLocalAddress() || publicIp.isMulticastAddress() || publicIp.isLoopbackAddress()) {
            throw new IllegalArgumentException("peer public IP " + IpPrefix.format(publicIp) + " is not a unicast address");
        }
    }
}
