package dev.weft.node;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.weft.lease.PeerInfo;
import dev.weft.net.IpFamily;
import dev.weft.rtnl.MacAddress;
import dev.weft.rtnl.NetlinkException;
import dev.weft.vtep.PeerSpec;
import dev.weft.vtep.Vtep;

/**
 * Turns the API's peers into data-plane peer specs. With DirectRouting, a peer whose public IP
 * the kernel reaches without a gateway gets a plain route instead of the tunnel; that answer is
 * cached per address until the next full resync, so a pass over thousands of peers does not
 * cost thousands of {@code route get} round trips.
 */
final class PeerSpecs {
    private static final Logger LOG = LoggerFactory.getLogger(PeerSpecs.class);

    private final Vtep vtep;
    private final boolean directRouting;
    private final Map<InetAddress, Boolean> direct = new HashMap<>();

    PeerSpecs(Vtep vtep, boolean directRouting) {
        this.vtep = vtep;
        this.directRouting = directRouting;
    }

    /** Forgets the DirectRouting answers (full resync, or the underlay changed). */
    void forget() {
        direct.clear();
    }

    /** The IPv4 peer specs (the {@code flannel.<VNI>} device's). */
    List<PeerSpec> of(Collection<PeerInfo> peers, int underlayIndex) {
        return of(peers, underlayIndex, IpFamily.V4);
    }

    /**
     * The peer specs of one family, from the peers that have that family: IPv4 from
     * {@code public-ip}/{@code backend-data}, IPv6 from {@code public-ipv6}/{@code backend-v6-data}.
     */
    List<PeerSpec> of(Collection<PeerInfo> peers, int underlayIndex, IpFamily family) {
        List<PeerSpec> out = new ArrayList<>(peers.size());
        for (PeerInfo p : peers) {
            p.endpoint(family).ifPresent(e -> out.add(new PeerSpec(e.subnet(), e.publicIp(), MacAddress.parse(e.vtepMac()),
                    isDirect(e.publicIp(), underlayIndex))));
        }
        return out;
    }

    private boolean isDirect(InetAddress publicIp, int underlayIndex) {
        if (!directRouting) {
            return false;
        }
        return direct.computeIfAbsent(publicIp, ip -> {
            try {
                return vtep.isDirectlyReachable(ip, underlayIndex);
            } catch (NetlinkException e) {
                LOG.warn("DirectRouting: cannot tell whether {} is on a connected subnet ({}); using the tunnel",
                        ip.getHostAddress(), e.getMessage());
                return false;
            }
        });
    }
}
