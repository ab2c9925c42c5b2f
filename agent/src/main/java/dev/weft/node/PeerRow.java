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

    /** The rows of {@code peers} for {@code families}, by node name then family; peers without IPv6 have no IPv6 row. */
    static List<PeerRow> of(Collection<PeerInfo> peers, Set<IpFamily> families) {
        List<PeerRow> out = new ArrayList<>();
        for (PeerInfo p : peers.stream().sorted(Comparator.comparing(PeerInfo::nodeName)).toList()) {
            if (families.contains(IpFamily.V4)) {
                out.add(new PeerRow(p.nodeName(), p.subnet(), p.publicIp(), p.vtepMac()));
            }
            if (families.contains(IpFamily.V6) && p.subnetV6().isPresent() && p.publicIpV6().isPresent()) {
                out.add(new PeerRow(p.nodeName(), p.subnetV6().get(), p.publicIpV6().get(), p.vtepMacV6().orElse("")));
            }
        }
        return out;
    }

    StatusReport.Peer status(PeerState state, String detail) {
        return new StatusReport.Peer(node, Optional.of(subnet.toString()), Optional.of(IpAddresses.format(publicIp)),
                mac.isEmpty() ? Optional.empty() : Optional.of(mac), state, detail);
    }
}
