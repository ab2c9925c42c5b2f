package dev.weft.training;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.weft.app.AgentConfig;
import dev.weft.iface.Iface;
import dev.weft.iface.InterfaceChoice;
import dev.weft.iface.InterfaceSelectionException;
import dev.weft.iface.InterfaceSelector;
import dev.weft.lease.NetConf;
import dev.weft.lease.NodeLease;
import dev.weft.lease.PeerInfo;
import dev.weft.lease.env.SubnetEnv;
import dev.weft.lease.kube.LeaseAttempt;
import dev.weft.lease.kube.NodePublisher;
import dev.weft.lease.kube.PeerWatcher;
import dev.weft.lease.kube.SubnetLeaser;
import dev.weft.masq.MasqSpec;
import dev.weft.masq.Masquerade;
import dev.weft.metrics.LeaseState;
import dev.weft.metrics.WeftMetrics;
import dev.weft.net.IpFamily;
import dev.weft.net.IpPrefix;
import dev.weft.node.NetlinkHostInterfaces;
import dev.weft.node.NodeState;
import dev.weft.reconcile.PassContext;
import dev.weft.reconcile.PassResult;
import dev.weft.reconcile.ReconcilePass;
import dev.weft.rtnl.MacAddress;
import dev.weft.rtnl.RouteFilter;
import dev.weft.rtnl.RtnlClient;
import dev.weft.rtnl.RtnlRequest;
import dev.weft.vtep.DesiredEntries;
import dev.weft.vtep.EnsureOutcome;
import dev.weft.vtep.PeerSpec;
import dev.weft.vtep.Vtep;
import dev.weft.vtep.VtepDevice;
import dev.weft.vtep.VtepSpec;

/**
 * {@link dev.weft.node.NodePass}'s steps for the training run, in its order and with its
 * collaborators, minus every kernel write: interface (real netlink dumps, read only) → lease (API)
 * → device (the spec is built, the kernel only asked whether it exists) → annotations → subnet.env
 * (in the scratch directory) → masquerade (canned firewall) → NetworkUnavailable → peers (planned
 * and encoded as netlink requests, never sent).
 */
final class TrainingPass implements ReconcilePass<NodeState> {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingPass.class);
    private static final Duration RETRY = Duration.ofMillis(200);

    private final AgentConfig config;
    private final NetConf netConf;
    private final RtnlClient rtnl;
    private final Vtep vtep;
    private final SubnetLeaser leaser;
    private final NodePublisher publisher;
    private final PeerWatcher watcher;
    private final Masquerade masq;
    private final WeftMetrics metrics;
    private final CountDownLatch peersPlanned = new CountDownLatch(1);
    private volatile int planned;
    private InterfaceChoice iface;
    private NodeLease lease;

    TrainingPass(AgentConfig config, NetConf netConf, RtnlClient rtnl, Vtep vtep, SubnetLeaser leaser,
                 NodePublisher publisher, PeerWatcher watcher, Masquerade masq, WeftMetrics metrics) {
        this.config = config;
        this.netConf = netConf;
        this.rtnl = rtnl;
        this.vtep = vtep;
        this.leaser = leaser;
        this.publisher = publisher;
        this.watcher = watcher;
        this.masq = masq;
        this.metrics = metrics;
    }

    @Override
    public PassResult<NodeState> run(PassContext ctx) throws Exception {
        publisher.beginPass();
        if (iface == null) {
            iface = selectInterface();
        }
        InetAddress publicIp = publisher.publicIpOverride().orElse(iface.publicIp());
        if (lease == null) {
            LeaseAttempt a = leaser.tryAcquire();
            if (!(a instanceof LeaseAttempt.Acquired acquired)) {
                throw new IllegalStateException("training lease failed: " + a);
            }
            lease = acquired.lease();
            metrics.leaseState(LeaseState.ACQUIRED);
            publisher.recordEvent("Normal", "SubnetAcquired", "subnet " + lease.describe());
        }
        VtepDevice device = device(publisher.publishedVtepMac(vni()).map(MacAddress::parse));
        publisher.publish(vni(), device.mac().toString(), publicIp);
        IpPrefix subnet = lease.subnet().orElseThrow();
        SubnetEnv env = SubnetEnv.forLease(netConf, lease, device.mtu(), config.ipMasq());
        env.writeAtomically(config.subnetFile());
        masq.ensure(new MasqSpec(netConf.clusterNetworks()));
        publisher.markNetworkAvailable();
        NodeState state = new NodeState(Optional.of(iface), Optional.of(lease), "subnet " + subnet, Optional.of(device),
                device.name() + " " + device.mac(), true, config.subnetFile().toString(), watcher.peers().size(), planned,
                watcher.invalidPeers().size(), false);
        if (!watcher.synced()) {
            return PassResult.requeueAfter(state, RETRY);
        }
        planPeers(device);
        return PassResult.done(state);
    }

    /** The host's real interfaces and routes (read only); loopback stands in where nothing qualifies. */
    private InterfaceChoice selectInterface() throws Exception {
        rtnl.routes(RouteFilter.main(IpFamily.V4));
        try {
            return new InterfaceSelector(new NetlinkHostInterfaces(rtnl)).select(config.interfaces());
        } catch (InterfaceSelectionException e) {
            LOG.info("no underlay interface on this host ({}); training on loopback", e.getMessage());
            InetAddress lo = InetAddress.getLoopbackAddress();
            return new InterfaceChoice(new Iface("lo", 1, 65536, true, List.of()), lo, lo, "training");
        }
    }

    /** What {@code Vtep.ensure} would be asked for, and whether the kernel has such a device (read only). */
    private VtepDevice device(Optional<MacAddress> pinned) throws Exception {
        var b = netConf.backend();
        VtepSpec spec = new VtepSpec(config.deviceNameFor(vni()), vni(), iface.localAddress(), iface.iface().index(),
                b.port(), b.learning(), b.gbp(), b.mtu().isPresent() ? OptionalInt.of(b.mtu().getAsInt()) : OptionalInt.empty(),
                pinned, new IpPrefix(lease.subnet().orElseThrow().networkAddress(), 32));
        vtep.find(spec.name());
        // Index 1 (loopback) stands in for the device: the reads in planPeers then find nothing, and fail on nothing.
        return new VtepDevice(1, spec.name(), pinned.orElse(MacAddress.parse("0e:00:00:00:00:01")),
                spec.mtu().orElse(1450), EnsureOutcome.ADOPTED);
    }

    /** The per-peer entries, compared with the kernel's (read only) and encoded as the batch it would get. */
    private void planPeers(VtepDevice device) throws Exception {
        List<PeerSpec> specs = new ArrayList<>();
        for (PeerInfo p : watcher.peers().values()) {
            p.ipv4().ifPresent(e -> specs.add(new PeerSpec(e.subnet(), e.publicIp(), MacAddress.parse(e.vtepMac()), false)));
        }
        DesiredEntries desired = vtep.plan(device, specs, iface.iface().index());
        vtep.inspect(device, desired);
        int bytes = 0;
        for (var n : desired.neighbours()) {
            bytes += RtnlRequest.replaceNeighbour(n.index(), n.address(), n.mac().orElseThrow()).wire().length;
        }
        for (var f : desired.fdb()) {
            bytes += RtnlRequest.appendFdb(f.index(), f.mac(), f.destination().orElseThrow()).wire().length;
        }
        for (var r : desired.routes()) {
            bytes += RtnlRequest.replaceRoute(r).wire().length;
        }
        planned = specs.size() - desired.skipped().size();
        metrics.peers(specs.size(), planned, watcher.invalidPeers().size());
        LOG.debug("planned {} peers, {} request bytes", planned, bytes);
        if (planned > 0) {
            peersPlanned.countDown();
        }
    }

    void awaitPeersPlanned(Duration bound) throws InterruptedException {
        if (!peersPlanned.await(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("no peer was planned within " + bound);
        }
    }

    int peersPlanned() {
        return planned;
    }

    private int vni() {
        return netConf.backend().vni();
    }
}
