package dev.weft.node;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.weft.lease.PeerInfo;
import dev.weft.net.IpAddresses;
import dev.weft.net.IpFamily;
import dev.weft.net.IpPrefix;
import dev.weft.status.PeerState;
import dev.weft.status.StatusReport;

/**
 * One peer as one family's data plane sees it, for {@code weft status}: its subnet, public IP and
 * VtepMAC of that family (empty MAC for host-gw).
 */
record PeerRow(String node, IpPrefix subnet, InetAddress publicIp, String mac) {

    /** The rows of {@code peers} for {@code families}, by node name then family; a peer without a family has no row of it. */
    static List<PeerRow> of(Collection<PeerInfo> peers, Set<IpFamily> families) {
        List<PeerRow> out = new ArrayList<>();
        for (PeerInfo p : peers.stream().sorted(Comparator.comparing(PeerInfo::nodeName)).toList()) {
            for (IpFamily f : IpFamily.values()) {
                if (families.contains(f)) {
                    p.endpoint(f).ifPresent(e -> out.add(new PeerRow(p.nodeName(), e.subnet(), e.publicIp(), e.vtepMac())));
                }
            }
        }
        return out;
    }

    StatusReport.Peer status(PeerState state, String detail) {
        return new StatusReport.Peer(node, Optional.of(subnet.toString()), Optional.of(IpAddresses.format(publicIp)),
                mac.isEmpty() ? Optional.empty() : Optional.of(mac), state, detail);
    }
}
