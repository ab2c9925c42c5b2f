package dev.weft.node;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.weft.lease.PeerInfo;
import dev.weft.net.IpAddresses;
import dev.weft.net.IpFamily;
import dev.weft.rtnl.NetlinkException;
import dev.weft.vtep.DesiredEntries;
import dev.weft.vtep.HostGw.GatewayPeer;
import dev.weft.vtep.HostGw;

/**
 * Turns the API's peers into host-gw routes. Whether a peer's public IP is on this node's link is
 * asked of the kernel once per address and cached until the next full resync, as DirectRouting's
 * answers are ({@link PeerSpecs}).
 */
final class HostGwPeers {
    private static final Logger LOG = LoggerFactory.getLogger(HostGwPeers.class);

    private final HostGw hostGw;
    private final Map<InetAddress, Boolean> onLink = new HashMap<>();

    HostGwPeers(HostGw hostGw) {
        this.hostGw = hostGw;
    }

    /** Forgets the on-link answers (full resync, or the underlay changed). */
    void forget() {
        onLink.clear();
    }

    /**
     * The routes for {@code peers} in {@code families}: IPv4 via {@code public-ip}, IPv6 via
     * {@code public-ipv6}; the ones not on the link are in {@link DesiredEntries#skipped()}.
     */
    DesiredEntries plan(Collection<PeerInfo> peers, int underlayIndex, Set<IpFamily> families) {
        List<GatewayPeer> out = new ArrayList<>(peers.size());
        for (PeerInfo p : peers) {
            for (IpFamily f : families) {
                p.endpoint(f).ifPresent(e -> out.add(new GatewayPeer(e.subnet(), e.publicIp())));
            }
        }
        return HostGw.plan(out, underlayIndex, p -> isOnLink(p.gateway(), underlayIndex));
    }

    private boolean isOnLink(InetAddress ip, int underlayIndex) {
        return onLink.computeIfAbsent(ip, a -> {
            try {
                return hostGw.isOnLink(a, underlayIndex);
            } catch (NetlinkException e) {
                LOG.warn("host-gw: cannot tell whether {} is on this node's link ({}); not routing to it",
                        IpAddresses.format(a), e.getMessage());
                return false;
            }
        });
    }
}
