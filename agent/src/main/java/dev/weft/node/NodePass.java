package dev.weft.node;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

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
import dev.weft.net.IpAddresses;
import dev.weft.net.IpFamily;
import dev.weft.net.IpPrefix;
import dev.weft.reconcile.PassContext;
import dev.weft.reconcile.PassResult;
import dev.weft.reconcile.ReconcilePass;
import dev.weft.rtnl.NetlinkException;
import dev.weft.vtep.VtepDevice;

/**
 * One reconcile pass of the node, run only on the reconcile thread: interface → lease → devices
 * → annotations → subnet.env → masquerade → ready → peers. Each step is idempotent and cheap
 * when nothing changed, so every pass walks them all (level-triggered); a step that cannot
 * finish asks for the pass to be requeued with a delay instead of sleeping.
 *
 * <p>The data plane is one VXLAN device per enabled family ({@code flannel.<VNI>},
 * {@code flannel-v6.<VNI>}), or with host-gw no device at all, only routes. A device is ensured
 * after the lease, not before: its address is the lease's network address, and a device with no
 * address would only have to be touched again.
 */
public final class NodePass implements ReconcilePass<NodeState> {
    private static final Logger LOG = LoggerFactory.getLogger(NodePass.class);
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final NodeDeps d;
    private final boolean hostGw;
    private final boolean ipv4;
    private final boolean ipv6;
    private final List<VxlanPlane> planes = new ArrayList<>();
    private final PeerSync peerSync;
    private final dev.weft.lease.Backoff leaseBackoff = dev.weft.lease.Backoff.standard();
    private final StateChangeLog<String> leaseLog = new StateChangeLog<>(LOG, s -> "lease: " + s);
    private InterfaceChoice iface;
    private InetAddress publicIp; // null unless IPv4 is enabled
    private InetAddress publicIpV6; // null unless IPv6 is enabled
    private InetAddress localV6; // the IPv6 VTEP's local end, null unless IPv6 is enabled
    private NodeLease lease;
    private String leaseDetail = "not requested yet";
    private String published;
    private boolean leftoversRemoved;
    private boolean subnetEnvOk;
    private boolean networkMarked;
    private boolean masqChecked;
    private int programmed;
    private NodeState last = NodeState.initial();

    public NodePass(NodeDeps deps) {
        this.d = deps;
        this.hostGw = deps.netConf().backend().isHostGw();
        this.ipv4 = deps.netConf().enableIpv4();
        this.ipv6 = deps.netConf().enableIpv6();
        if (hostGw) {
            peerSync = PeerSync.hostGw(deps, deps.netConf().families());
        } else {
            for (IpFamily f : deps.netConf().families()) {
                planes.add(new VxlanPlane(deps, f));
            }
            peerSync = PeerSync.vxlan(deps, planes);
        }
    }

    @Override
    public PassResult<NodeState> run(PassContext ctx) throws Exception {
        d.publisher().beginPass(); // one read of this Node per pass, shared by what the pass reads and writes on it
        if (ctx.resync()) {
            peerSync.forget();
        }
        if (iface == null && !selectInterface()) {
            return retry("interface not selected");
        }
        if (lease == null && !acquireLease()) {
            return PassResult.requeueAfter(snapshot("waiting for a lease"), leaseBackoff.nextDelay());
        }
        if (!ensureDevices()) {
            return retry("device not ready");
        }
        boolean apiOk = publishAnnotations();
        writeSubnetEnv();
        ensureMasquerade(ctx);
        if (subnetEnvOk && apiOk && !networkMarked) {
            networkMarked = tryApi("clear NetworkUnavailable", d.publisher()::markNetworkAvailable);
        }
        PeerSync.Outcome peers = peerSync.run(ctx, iface.iface().index());
        programmed = peers.programmed();
        last = snapshot(peers.detail());
        if (peers.deviceGone()) {
            return PassResult.requeueAfter(last, Duration.ZERO);
        }
        boolean settled = apiOk && networkMarked && subnetEnvOk && peers.ok();
        return settled ? PassResult.done(last) : PassResult.requeueAfter(last, RETRY);
    }

    private PassResult<NodeState> retry(String why) {
        return PassResult.requeueAfter(snapshot(why), RETRY);
    }

    /**
     * The underlay interface and the addresses of each enabled family: IPv4 from the IPv4 default
     * route (or the selection flags); on a dual-stack node the IPv6 VTEP's local end is the same
     * interface's global IPv6 address; an IPv6-only node selects by the IPv6 default route. A
     * public address is the Node's override annotation, else {@code --public-ip}/{@code
     * --public-ipv6}, else the local address.
     */
    private boolean selectInterface() {
        try {
            InterfaceChoice c = d.selector().select(d.config().interfaces().forFamily(ipv4 ? IpFamily.V4 : IpFamily.V6));
            InetAddress local6 = null;
            InetAddress public6 = null;
            if (ipv6 && ipv4) {
                local6 = c.iface().preferredAddress(IpFamily.V6).orElseThrow(() -> new InterfaceSelectionException(
                        "EnableIPv6 is true but " + c.iface().name() + " has no global IPv6 address for the IPv6 underlay"));
                public6 = d.config().interfaces().publicIpV6().orElse(local6);
            } else if (ipv6) {
                local6 = c.localAddress();
                public6 = c.publicIp();
            }
            publicIp = ipv4 ? d.publisher().publicIpOverride().orElse(c.publicIp()) : null;
            publicIpV6 = public6 == null ? null : d.publisher().publicIpV6Override().orElse(public6);
            localV6 = local6;
            iface = c;
            LOG.info("underlay interface {} ({}), local address {}{}{}", c.iface().name(), c.why(),
                    IpAddresses.format(c.localAddress()), publicIp == null ? "" : ", public IP " + IpAddresses.format(publicIp),
                    publicIpV6 == null ? "" : ", public IPv6 " + IpAddresses.format(publicIpV6));
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
            leaseDetail = "subnet " + lease.describe()
                    + (lease.allocatedByWeft() ? " (allocated by weft)" : " (spec.podCIDR)");
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

    /** Every VXLAN device of the enabled families; with host-gw, the removal of any left from a vxlan run. */
    private boolean ensureDevices() throws NetlinkException {
        if (hostGw) {
            removeLeftoverDevices();
            return true;
        }
        boolean ok = true;
        for (VxlanPlane p : planes) {
            InetAddress local = p.family() == IpFamily.V4 ? iface.localAddress() : localV6;
            ok &= p.ensure(iface, local, lease.subnet(p.family()).orElseThrow());
        }
        return ok;
    }

    /**
     * A node switched from vxlan to host-gw still has the devices of the old backend; their routes
     * would compete with host-gw's. Removed once, at the first pass (the routes on them go too).
     */
    private void removeLeftoverDevices() throws NetlinkException {
        if (leftoversRemoved) {
            return;
        }
        int vni = d.netConf().backend().vni();
        for (String name : List.of(d.config().deviceNameFor(vni), VxlanPlane.V6_PREFIX + vni)) {
            Optional<VtepDevice> old = d.vtep().find(name);
            if (old.isPresent()) {
                d.rtnl().deleteLink(old.get().index());
                LOG.info("host-gw: removed VXLAN device {} left from an earlier vxlan backend", name);
            }
        }
        leftoversRemoved = true;
    }

    private boolean publishAnnotations() {
        String want = planes.stream().map(p -> p.device().orElseThrow().mac().toString()).collect(Collectors.joining(" "))
                + (publicIp == null ? "" : " " + IpAddresses.format(publicIp))
                + (publicIpV6 == null ? "" : " " + IpAddresses.format(publicIpV6));
        if (want.equals(published)) {
            return true;
        }
        if (tryApi("publish annotations", this::publish)) {
            published = want;
            return true;
        }
        return false;
    }

    /**
     * The annotations of each enabled family, and the removal of a disabled family's (a node whose
     * net-conf.json turned a family off must not leave peers routing to a device it no longer has).
     */
    private void publish() {
        int vni = d.netConf().backend().vni();
        if (hostGw) {
            if (publicIp != null) {
                d.publisher().publishHostGw(publicIp);
            }
            if (publicIpV6 != null) {
                d.publisher().publishHostGwIpv6(publicIpV6);
            }
        } else {
            for (VxlanPlane p : planes) {
                String mac = p.device().orElseThrow().mac().toString();
                if (p.family() == IpFamily.V4) {
                    d.publisher().publish(vni, mac, publicIp);
                } else {
                    d.publisher().publishIpv6(vni, mac, publicIpV6);
                }
            }
        }
        if (!ipv4) {
            d.publisher().unpublish(IpFamily.V4);
        }
        if (!ipv6) {
            d.publisher().unpublish(IpFamily.V6);
        }
    }

    private void writeSubnetEnv() {
        SubnetEnv env = SubnetEnv.forLease(d.netConf(), lease, mtu(), d.config().ipMasq());
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

    /**
     * The pods' MTU: with host-gw (no encapsulation) the underlay's; otherwise the smallest of the
     * devices', so that a pod's packets fit whichever family's tunnel they take.
     */
    private int mtu() {
        if (hostGw) {
            return iface.iface().mtu();
        }
        return planes.stream().mapToInt(p -> p.device().orElseThrow().mtu()).min().orElseThrow();
    }

    private void ensureMasquerade(PassContext ctx) {
        if (d.masquerade().isEmpty() || (masqChecked && !ctx.resync())) {
            return;
        }
        try {
            MasqSpec spec = new MasqSpec(d.netConf().clusterNetworks());
            EnsureResult r = d.masquerade().get().ensure(spec);
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
        boolean allDevices = !planes.isEmpty() && planes.stream().allMatch(p -> p.device().isPresent());
        Optional<VtepDevice> device = allDevices ? planes.getFirst().device() : Optional.empty();
        return new NodeState(Optional.ofNullable(iface), Optional.ofNullable(lease), leaseDetail, device, deviceDetail(),
                subnetEnvOk, subnetEnvOk ? d.config().subnetFile().toString() : "not written yet",
                d.watcher().peers().size(), programmed, d.watcher().invalidPeers().size(), hostGw);
    }

    private String deviceDetail() {
        if (hostGw) {
            return iface == null ? "host-gw: no underlay interface yet" : "host-gw: routes via " + iface.iface().name() + " (no device)";
        }
        return planes.stream().map(p -> p.device().map(v -> v.name() + " " + v.mac()).orElse(p.name() + " not ready"))
                .collect(Collectors.joining(", "));
    }

    /** True for the ifindex of one of this node's VXLAN devices (any thread): the netlink monitor's filter. */
    public boolean isOwnDevice(int index) {
        return index > 0 && planes.stream().anyMatch(p -> p.deviceIndex() == index);
    }

    /** The names of this node's VXLAN devices (none with host-gw). */
    public List<String> deviceNames() {
        return planes.stream().map(VxlanPlane::name).toList();
    }
}
