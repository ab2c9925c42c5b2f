package dev.weft.node;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalInt;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.weft.iface.InterfaceChoice;
import dev.weft.iface.InterfaceSelectionException;
import dev.weft.lease.NodeLease;
import dev.weft.lease.env.SubnetEnv;
import dev.weft.lease.kube.LeaseAttempt;
import dev.weft.logging.StateChangeLog;
import dev.weft.masq.EnsureResult;
import dev.weft.masq.MasqSpec;
import dev.weft.metrics.RepairKind;
import dev.weft.net.IpFamily;
import dev.weft.net.IpPrefix;
import dev.weft.reconcile.PassContext;
import dev.weft.reconcile.PassResult;
import dev.weft.reconcile.ReconcilePass;
import dev.weft.rtnl.MacAddress;
import dev.weft.rtnl.NetlinkException;
import dev.weft.vtep.DesiredEntries;
import dev.weft.vtep.EnsureOutcome;
import dev.weft.vtep.HostGw;
import dev.weft.vtep.SyncResult;
import dev.weft.vtep.VtepDevice;
import dev.weft.vtep.VtepSpec;

/**
 * One reconcile pass of the node, run only on the reconcile thread: interface → lease → device
 * → annotations → subnet.env → masquerade → ready → peers. Each step is idempotent and cheap
 * when nothing changed, so every pass walks them all (level-triggered); a step that cannot
 * finish asks for the pass to be requeued with a delay instead of sleeping.
 *
 * <p>The device is ensured after the lease, not before: its address is the lease's network
 * address, and a device with no address would only have to be touched again.
 */
public final class NodePass implements ReconcilePass<NodeState> {
    private static final Logger LOG = LoggerFactory.getLogger(NodePass.class);
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final NodeDeps d;
    private final PeerSpecs peerSpecs;
    private final boolean hostGw;
    private final HostGw hostGwRoutes;
    private final HostGwPeers hostGwPeers;
    private final dev.weft.lease.Backoff leaseBackoff = dev.weft.lease.Backoff.standard();
    private final StateChangeLog<String> leaseLog = new StateChangeLog<>(LOG, s -> "lease: " + s);
    private InterfaceChoice iface;
    private java.net.InetAddress publicIp;
    private NodeLease lease;
    private String leaseDetail = "not requested yet";
    private Optional<MacAddress> pinnedMac;
    private VtepDevice device;
    private String published;
    private boolean subnetEnvOk;
    private boolean networkMarked;
    private boolean masqChecked;
    private int programmed;
    private volatile int deviceIndex = -1;
    private NodeState last = NodeState.initial();

    public NodePass(NodeDeps deps) {
        this.d = deps;
        this.peerSpecs = new PeerSpecs(deps.vtep(), deps.netConf().backend().directRouting());
        this.hostGw = deps.netConf().backend().isHostGw();
        this.hostGwRoutes = hostGw ? new HostGw(deps.rtnl()) : null;
        this.hostGwPeers = hostGw ? new HostGwPeers(hostGwRoutes) : null;
    }

    @Override
    public PassResult<NodeState> run(PassContext ctx) throws Exception {
        if (ctx.resync()) {
            peerSpecs.forget();
            if (hostGw) {
                hostGwPeers.forget();
            }
        }
        if (iface == null && !selectInterface()) {
            return retry("interface not selected");
        }
        if (lease == null && !acquireLease()) {
            return PassResult.requeueAfter(snapshot("waiting for a lease"), leaseBackoff.nextDelay());
        }
        if (!hostGw && !ensureDevice()) {
            return retry("device not ready");
        }
        boolean apiOk = publishAnnotations();
        writeSubnetEnv();
        ensureMasquerade(ctx);
        if (subnetEnvOk && apiOk && !networkMarked) {
            networkMarked = tryApi("clear NetworkUnavailable", d.publisher()::markNetworkAvailable);
        }
        SyncOutcome peers = syncPeers(ctx);
        last = snapshot(peers.detail);
        if (peers.deviceGone) {
            device = null;
            return PassResult.requeueAfter(last, Duration.ZERO);
        }
        boolean settled = apiOk && networkMarked && subnetEnvOk && peers.ok;
        return settled ? PassResult.done(last) : PassResult.requeueAfter(last, RETRY);
    }

    private PassResult<NodeState> retry(String why) {
        return PassResult.requeueAfter(snapshot(why), RETRY);
    }

    private boolean selectInterface() {
        try {
            InterfaceChoice c = d.selector().select(d.config().interfaces());
            publicIp = d.publisher().publicIpOverride().orElse(c.publicIp());
            iface = c;
            LOG.info("underlay interface {} ({}), local address {}, public IP {}", c.iface().name(), c.why(),
                    c.localAddress().getHostAddress(), publicIp.getHostAddress());
            return true;
        } catch (InterfaceSelectionException | RuntimeException e) {
            leaseLog.updateWarn("cannot select the underlay interface: " + e.getMessage());
            return false;
        }
    }

    private boolean acquireLease() {
        LeaseAttempt attempt = d.leaser().tryAcquire();
        if (attempt instanceof LeaseAttempt.Acquired a) {
            lease = a.lease();
            leaseBackoff.reset();
            leaseDetail = "subnet " + lease.subnet() + (lease.allocatedByWeft() ? " (allocated by weft)" : " (spec.podCIDR)");
            leaseLog.update("acquired " + leaseDetail);
            d.metrics().leaseState(dev.weft.metrics.LeaseState.ACQUIRED);
            tryApi("record lease event", () -> d.publisher().recordEvent("Normal", "SubnetAcquired", leaseDetail));
            return true;
        }
        LeaseAttempt.Failed f = (LeaseAttempt.Failed) attempt;
        leaseDetail = f.kind() + ": " + f.message();
        if (leaseLog.updateWarn(leaseDetail)) {
            d.metrics().leaseState(LeaseStates.of(f.kind()));
            tryApi("record lease event", () -> d.publisher().recordEvent("Warning", "SubnetUnavailable", f.message()));
        }
        return false;
    }

    private boolean ensureDevice() throws NetlinkException {
        if (pinnedMac == null) {
            pinnedMac = readPublishedMac();
        }
        VtepDevice before = device;
        try {
            device = d.vtep().ensure(spec());
        } catch (NetlinkException e) {
            LOG.warn("cannot set up VXLAN device {}: {}", deviceName(), e.getMessage());
            device = null;
            return false;
        }
        deviceIndex = device.index();
        if (device.outcome() != EnsureOutcome.ADOPTED) {
            LOG.info("VXLAN device {} {} (index {}, MAC {}, MTU {})", device.name(),
                    device.outcome().name().toLowerCase(java.util.Locale.ROOT), device.index(), device.mac(), device.mtu());
            if (before != null) {
                d.metrics().repairs(RepairKind.DEVICE, 1);
            }
        }
        if (d.config().disableTxChecksumOffload() && d.rtnl().txChecksumEnabled(device.index())) {
            d.rtnl().disableTxChecksum(device.index());
            LOG.info("turned TX checksum offload off on {}", device.name());
        }
        return true;
    }

    private Optional<MacAddress> readPublishedMac() {
        try {
            return d.publisher().publishedVtepMac(vni()).map(MacAddress::parse);
        } catch (RuntimeException e) {
            LOG.warn("cannot read the published VtepMAC ({}); the device keeps whatever MAC it has", e.getMessage());
            return Optional.empty();
        }
    }

    private VtepSpec spec() {
        var b = d.netConf().backend();
        IpPrefix subnet = lease.subnet();
        return new VtepSpec(deviceName(), vni(), iface.localAddress(), iface.iface().index(), b.port(), b.learning(),
                b.gbp(), b.mtu().isPresent() ? OptionalInt.of(b.mtu().getAsInt()) : OptionalInt.empty(), pinnedMac,
                new IpPrefix(subnet.networkAddress(), 32));
    }

    private boolean publishAnnotations() {
        String want = (hostGw ? "host-gw" : device.mac()) + " " + publicIp.getHostAddress();
        if (want.equals(published)) {
            return true;
        }
        Runnable publish = hostGw ? () -> d.publisher().publishHostGw(publicIp)
                : () -> d.publisher().publish(vni(), device.mac().toString(), publicIp);
        if (tryApi("publish annotations", publish)) {
            published = want;
            return true;
        }
        return false;
    }

    private void writeSubnetEnv() {
        IpPrefix subnet = lease.subnet();
        SubnetEnv env = new SubnetEnv(d.netConf().network(), new IpPrefix(subnet.firstHost(), subnet.length()), mtu(),
                d.config().ipMasq(), Optional.empty(), Optional.empty());
        try {
            boolean same = Files.isRegularFile(d.config().subnetFile())
                    && Files.readString(d.config().subnetFile()).equals(env.render());
            if (!same) {
                env.writeAtomically(d.config().subnetFile());
                LOG.info("wrote {}", d.config().subnetFile());
                if (subnetEnvOk) {
                    d.metrics().repairs(RepairKind.SUBNET_ENV, 1);
                }
            }
            subnetEnvOk = true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot write {}: {}", d.config().subnetFile(), e.getMessage());
            subnetEnvOk = false;
        }
    }

    /** The pods' MTU: the device's, or with host-gw (no encapsulation) the underlay's. */
    private int mtu() {
        return hostGw ? iface.iface().mtu() : device.mtu();
    }

    private void ensureMasquerade(PassContext ctx) {
        if (d.masquerade().isEmpty() || (masqChecked && !ctx.resync())) {
            return;
        }
        try {
            EnsureResult r = d.masquerade().get().ensure(MasqSpec.of(d.netConf().network().toString()));
            if (r.changed()) {
                LOG.info("masquerade rules applied: {}", r.repaired());
                if (masqChecked) {
                    d.metrics().repairs(RepairKind.MASQUERADE, r.repaired().size());
                }
            }
            masqChecked = true;
        } catch (Exception e) {
            LOG.warn("cannot apply masquerade rules: {}", e.getMessage());
        }
    }

    private record SyncOutcome(boolean ok, boolean deviceGone, String detail) {
    }

    /**
     * Programs the peers. While the first Node list is still arriving, the peers of the pages read
     * so far are added and nothing is removed (an entry nobody wants yet may belong to a peer on a
     * later page): the kernel fills up as the pages come, as flannel's informer does it, instead
     * of after the whole list. Stale entries go with the first pass on the complete list.
     */
    private SyncOutcome syncPeers(PassContext ctx) {
        var watcher = d.watcher();
        boolean complete = watcher.synced();
        var peers = watcher.peers().values();
        if (!complete && peers.isEmpty()) {
            return new SyncOutcome(false, false, "waiting for the first list of Nodes");
        }
        int underlay = iface.iface().index();
        DesiredEntries desired = hostGw ? hostGwPeers.plan(peers, underlay)
                : d.vtep().plan(device, peerSpecs.of(peers, underlay), underlay);
        try {
            SyncResult r = hostGw ? hostGwRoutes.sync(desired, EnumSet.of(IpFamily.V4), !complete)
                    : complete ? d.vtep().sync(device, desired) : d.vtep().add(device, desired);
            countWrites(r);
            countRepairs(ctx, r);
            int invalid = watcher.invalidPeers().size() + desired.skipped().size();
            programmed = Math.max(0, peers.size() - desired.skipped().size() - r.failures().size());
            d.metrics().peers(peers.size(), programmed, invalid);
            if (!r.isNoop()) {
                LOG.debug("sync: {} added, {} removed, {} updated, {} failures in {} ms", r.added(), r.removed(),
                        r.updated(), r.failures().size(), r.elapsed().toMillis());
            }
            return new SyncOutcome(complete && r.failures().isEmpty(), false,
                    peers.size() + (complete ? " peers" : " peers so far (first list of Nodes still arriving)"));
        } catch (NetlinkException e) {
            if (e.isNotFound() && !hostGw) {
                LOG.warn("VXLAN device {} vanished; recreating it", deviceName());
                return new SyncOutcome(false, true, "device vanished");
            }
            LOG.warn("peer sync failed: {}", e.getMessage());
            return new SyncOutcome(false, false, "peer sync failed: " + e.getMessage());
        }
    }

    /** {@code weft_netlink_operations_total}: the sync's writes by kind, and the ones the kernel refused. */
    private void countWrites(SyncResult r) {
        countWrites("neigh", r.neighbours());
        countWrites("fdb", r.fdb());
        countWrites("route", r.routes());
        for (NetlinkException e : r.failures()) {
            d.metrics().netlinkOperation("peer_sync", e.errnoName().toLowerCase(java.util.Locale.ROOT));
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
    }

    private boolean tryApi(String what, Runnable call) {
        try {
            call.run();
            return true;
        } catch (RuntimeException e) {
            LOG.warn("cannot {} (will retry): {}", what, e.getMessage());
            return false;
        }
    }

    private NodeState snapshot(String peersDetail) {
        return new NodeState(Optional.ofNullable(iface), Optional.ofNullable(lease), leaseDetail,
                Optional.ofNullable(device), deviceDetail(),
                subnetEnvOk, subnetEnvOk ? d.config().subnetFile().toString() : "not written yet",
                d.watcher().peers().size(), programmed, d.watcher().invalidPeers().size(), hostGw);
    }

    private String deviceDetail() {
        if (hostGw) {
            return iface == null ? "host-gw: no underlay interface yet" : "host-gw: routes via " + iface.iface().name() + " (no device)";
        }
        return device == null ? "not ready" : device.name() + " " + device.mac();
    }

    /** The device's ifindex, for the netlink monitor's filter (any thread); -1 before the first ensure. */
    public int deviceIndex() {
        return deviceIndex;
    }

    private int vni() {
        return d.netConf().backend().vni();
    }

    private String deviceName() {
        return d.config().deviceNameFor(vni());
    }
}
