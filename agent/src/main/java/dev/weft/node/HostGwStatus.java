package dev.weft.node;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.weft.net.IpAddresses;
import dev.weft.net.IpFamily;
import dev.weft.rtnl.Address;
import dev.weft.rtnl.Link;
import dev.weft.rtnl.NetlinkException;
import dev.weft.rtnl.RtnlClient;
import dev.weft.status.StatusReport;
import dev.weft.vtep.DesiredEntries;
import dev.weft.vtep.HostGw;

/**
 * {@code weft status} for host-gw: there is no device, so the "device" row is the underlay
 * interface that holds the node's public IP, and every peer's state is its route on that
 * interface. Read-only: on-link answers are route lookups, nothing is sent.
 */
final class HostGwStatus {
    private HostGwStatus() {
    }

    static StatusReport read(RtnlClient rtnl, String nodeName, StatusReport.Lease lease, PeerView view, Set<IpFamily> families)
            throws NetlinkException {
        Optional<InetAddress> publicIp = lease.publicIp().flatMap(HostGwStatus::parse);
        Optional<Link> underlay = publicIp.isPresent() ? holding(rtnl, publicIp.get()) : Optional.empty();
        if (underlay.isEmpty()) {
            String why = publicIp.isEmpty() ? "host-gw: no public-ip annotation yet"
                    : "host-gw: no interface holds the public IP " + IpAddresses.format(publicIp.get());
            List<StatusReport.Peer> peers = new java.util.ArrayList<>(KernelStatus.missingAll(PeerRow.of(view.peers().values(), families)));
            KernelStatus.addInvalid(view, peers);
            return new StatusReport(nodeName, lease, new StatusReport.Device("-", false, false, Optional.empty(),
                    Optional.empty(), why), peers);
        }
        Link link = underlay.get();
        HostGw hostGw = new HostGw(rtnl);
        DesiredEntries desired = new HostGwPeers(hostGw).plan(view.peers().values(), link.index(), families);
        List<StatusReport.Peer> peers = new java.util.ArrayList<>(
                KernelStatus.compare(PeerRow.of(view.peers().values(), families), desired, hostGw.inspect(desired, families)));
        KernelStatus.addInvalid(view, peers);
        StatusReport.Device dev = new StatusReport.Device(link.name(), true, link.up(), Optional.empty(), Optional.of(link.mtu()),
                "host-gw: routes via " + link.name() + ", no VXLAN device");
        return new StatusReport(nodeName, lease, dev, peers);
    }

    private static Optional<InetAddress> parse(String ip) {
        try {
            return Optional.of(IpAddresses.parse(ip));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The interface carrying {@code ip} as one of its addresses. */
    private static Optional<Link> holding(RtnlClient rtnl, InetAddress ip) throws NetlinkException {
        for (Link l : rtnl.links()) {
            for (Address a : rtnl.addresses(l.index())) {
                if (a.prefix().address().equals(ip)) {
                    return Optional.of(l);
                }
            }
        }
        return Optional.empty();
    }
}
