package dev.weft.node;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.weft.lease.PeerInfo;
import dev.weft.metrics.RepairKind;
import dev.weft.net.IpFamily;
import dev.weft.reconcile.PassContext;
import dev.weft.rtnl.NetlinkException;
import dev.weft.vtep.DesiredEntries;
import dev.weft.vtep.HostGw;
import dev.weft.vtep.SyncResult;

/**
 * Programs the peers into every data plane of the node (the VXLAN device of each family, or the
 * host-gw routes) and keeps the peer and netlink metrics. While the first Node list is still
 * arriving, the peers of the pages read so far are added and nothing is removed (an entry nobody
 * wants yet may belong to a peer on a later page): the kernel fills up as the pages come, as
 * flannel's informer does it, instead of after the whole list. Stale entries go with the first
 * pass on the complete list.
 */
final class PeerSync {
    private static final Logger LOG = LoggerFactory.getLogger(PeerSync.class);

    /** What a sync did: all planes in step, a device that vanished, a one-line detail, peers fully programmed. */
    record Outcome(boolean ok, boolean deviceGone, String detail, int programmed) {
    }

    private final NodeDeps d;
    private final List<VxlanPlane> planes;
    private final HostGw hostGw;
    private final HostGwPeers hostGwPeers;
    private final Set<IpFamily> families;

    /** Peers over VXLAN devices, one per family. */
    static PeerSync vxlan(NodeDeps d, List<VxlanPlane> planes) {
        return new PeerSync(d, planes, null, null, EnumSet.noneOf(IpFamily.class));
    }

    /** Peers over host-gw routes of {@code families}. */
    static PeerSync hostGw(NodeDeps d, Set<IpFamily> families) {
        HostGw routes = new HostGw(d.rtnl());
        return new PeerSync(d, List.of(), routes, new HostGwPeers(routes), EnumSet.copyOf(families));
    }

    private PeerSync(NodeDeps d, List<VxlanPlane> planes, HostGw hostGw, HostGwPeers hostGwPeers, Set<IpFamily> families) {
        this.d = d;
        this.planes = List.copyOf(planes);
        this.hostGw = hostGw;
        this.hostGwPeers = hostGwPeers;
        this.families = families;
    }

    /** Forgets the cached route lookups (full resync). */
    void forget() {
        planes.forEach(VxlanPlane::forgetRoutes);
        if (hostGwPeers != null) {
            hostGwPeers.forget();
        }
    }

    Outcome run(PassContext ctx, int underlay) {
        var watcher = d.watcher();
        boolean complete = watcher.synced();
        Collection<PeerInfo> peers = watcher.peers().values();
        if (!complete && peers.isEmpty()) {
            return new Outcome(false, false, "waiting for the first list of Nodes", 0);
        }
        boolean ok = complete;
        boolean gone = false;
        int skipped = 0;
        int programmed = peers.size();
        List<String> problems = new ArrayList<>();
        for (Step step : steps(peers, underlay)) {
            try {
                SyncResult r = step.sync(complete);
                countWrites(r);
                countRepairs(ctx, r);
                skipped += step.desired.skipped().size();
                programmed = Math.min(programmed, Math.max(0, step.peers - step.desired.skipped().size() - r.failures().size()));
                ok &= r.failures().isEmpty();
                if (!r.isNoop()) {
                    LOG.debug("{} sync: {} added, {} removed, {} updated, {} failures in {} ms", step.name, r.added(), r.removed(),
                            r.updated(), r.failures().size(), r.elapsed().toMillis());
                }
            } catch (NetlinkException e) {
                ok = false;
                if (e.isNotFound() && step.plane != null) {
                    step.plane.lost();
                    gone = true;
                    problems.add("device " + step.name + " vanished");
                } else {
                    LOG.warn("{}: peer sync failed: {}", step.name, e.getMessage());
                    problems.add(step.name + " peer sync failed: " + e.getMessage());
                }
            }
        }
        d.metrics().peers(peers.size(), programmed, watcher.invalidPeers().size() + skipped);
        String detail = problems.isEmpty()
                ? peers.size() + (complete ? " peers" : " peers so far (first list of Nodes still arriving)")
                : String.join("; ", problems);
        return new Outcome(ok, gone, detail, programmed);
    }

    /** One data plane's share of a pass: its planned entries and how to write them. */
    private final class Step {
        final String name;
        final VxlanPlane plane; // null for host-gw
        final DesiredEntries desired;
        final int peers;

        Step(String name, VxlanPlane plane, DesiredEntries desired, int peers) {
            this.name = name;
            this.plane = plane;
            this.desired = desired;
            this.peers = peers;
        }

        SyncResult sync(boolean complete) throws NetlinkException {
            return plane != null ? plane.sync(desired, complete) : hostGw.sync(desired, families, !complete);
        }
    }

    private List<Step> steps(Collection<PeerInfo> peers, int underlay) {
        List<Step> out = new ArrayList<>();
        if (hostGw != null) {
            out.add(new Step("host-gw", null, hostGwPeers.plan(peers, underlay, families), peers.size()));
        }
        for (VxlanPlane p : planes) {
            int relevant = (int) peers.stream().filter(i -> i.endpoint(p.family()).isPresent()).count();
            out.add(new Step(p.name(), p, p.plan(peers, underlay), relevant));
        }
        return out;
    }

    /** {@code weft_netlink_operations_total}: the sync's writes by kind, and the ones the kernel refused. */
    private void countWrites(SyncResult r) {
        countWrites("neigh", r.neighbours());
        countWrites("fdb", r.fdb());
        countWrites("route", r.routes());
        countWrites("nexthop", r.nexthops());
        for (NetlinkException e : r.failures()) {
            d.metrics().netlinkOperation("peer_sync", e.errnoName().toLowerCase(Locale.ROOT));
        }
    }

    private void countWrites(String kind, SyncResult.KindCounts c) {
        d.metrics().netlinkOperations(kind + "_replace", "ok", c.added() + c.updated());
        d.metrics().netlinkOperations(kind + "_del", "ok", c.removed());
    }

    /** Entries written back after the netlink monitor saw them go are repairs; new peers are not. */
    private void countRepairs(PassContext ctx, SyncResult r) {
        boolean kernelTriggered = ctx.reasons().stream().anyMatch(x -> x.startsWith(NodeAgent.NETLINK_REASON));
        if (!kernelTriggered || r.isNoop()) {
            return;
        }
        d.metrics().repairs(RepairKind.NEIGHBOUR, r.neighbours().added() + r.neighbours().updated());
        d.metrics().repairs(RepairKind.FDB, r.fdb().added() + r.fdb().updated());
        d.metrics().repairs(RepairKind.ROUTE, r.routes().added() + r.routes().updated());
        d.metrics().repairs(RepairKind.NEXTHOP, r.nexthops().added() + r.nexthops().updated());
    }
}
