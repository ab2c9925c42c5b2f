package dev.weft.node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.weft.lease.NetConf;
import dev.weft.lease.kube.AnnotationKeys;
import dev.weft.lease.kube.KubeClients;
import dev.weft.net.IpAddresses;
import dev.weft.net.IpFamily;
import dev.weft.netns.Netns;
import dev.weft.rtnl.Link;
import dev.weft.rtnl.RtnlClient;
import dev.weft.status.PeerState;
import dev.weft.status.StatusReport;
import dev.weft.status.StatusRequest;
import dev.weft.status.StatusSource;
import dev.weft.vtep.DesiredEntries;
import dev.weft.vtep.DriftReport.Drift;
import dev.weft.vtep.DriftReport;
import dev.weft.vtep.Vtep;
import dev.weft.vtep.VtepDevice;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * {@code weft status}: the lease from the API, the device and every peer's entries from the
 * kernel, compared with what the peers need. Read-only.
 */
public final class KernelStatus implements StatusSource {

    @Override
    public StatusReport read(StatusRequest req) throws Exception {
        NetConf conf = NetConfs.read(req.netConfPath());
        String devName = req.deviceName().orElse("flannel." + conf.backend().vni());
        try (KubernetesClient client = KubeClients.create(req.kubeconfig());
             RtnlClient rtnl = RtnlClient.open(Netns.current())) {
            Node me = client.nodes().withName(req.nodeName()).get();
            StatusReport.Lease lease = lease(me, new AnnotationKeys(req.annotationPrefix()), conf);
            if (conf.backend().isHostGw()) {
                PeerView view = PeerView.read(client, req.nodeName(), req.annotationPrefix(), conf);
                return HostGwStatus.read(rtnl, req.nodeName(), lease, view, conf.families());
            }
            Vtep vtep = new Vtep(rtnl);
            PeerView view = PeerView.read(client, req.nodeName(), req.annotationPrefix(), conf);
            List<StatusReport.Device> devices = new ArrayList<>();
            List<StatusReport.Peer> peers = new ArrayList<>();
            if (conf.enableIpv4()) {
                family(vtep, rtnl, conf, devName, IpFamily.V4, view, devices, peers);
            }
            if (conf.enableIpv6()) {
                family(vtep, rtnl, conf, VxlanPlane.V6_PREFIX + conf.backend().vni(), IpFamily.V6, view, devices, peers);
            }
            addInvalid(view, peers);
            return new StatusReport(req.nodeName(), lease, devices, peers);
        }
    }

    /** One family's device row and its peers' rows. */
    private static void family(Vtep vtep, RtnlClient rtnl, NetConf conf, String devName, IpFamily family, PeerView view,
                               List<StatusReport.Device> devices, List<StatusReport.Peer> peers) throws Exception {
        Optional<VtepDevice> device = vtep.find(devName);
        Optional<Link> link = rtnl.link(devName);
        devices.add(new StatusReport.Device(devName, device.isPresent(), link.map(Link::up).orElse(false),
                device.map(d -> d.mac().toString()), device.map(VtepDevice::mtu), device.isPresent() ? "" : "no such link"));
        List<PeerRow> rows = PeerRow.of(view.peers().values(), java.util.EnumSet.of(family));
        if (device.isEmpty() || link.isEmpty()) {
            peers.addAll(missingAll(rows));
            return;
        }
        int underlay = link.get().vxlan().map(v -> v.underlayIndex().orElse(0)).orElse(0);
        PeerSpecs specs = new PeerSpecs(vtep, conf.backend().directRouting());
        DesiredEntries desired = vtep.plan(device.get(), specs.of(view.peers().values(), underlay, family), underlay);
        peers.addAll(compare(rows, desired, vtep.inspect(device.get(), desired)));
    }


    /** The Nodes whose annotations were unusable, as INVALID rows. */
    static void addInvalid(PeerView view, List<StatusReport.Peer> peers) {
        view.invalid().forEach((node, why) -> peers.add(new StatusReport.Peer(node, Optional.empty(), Optional.empty(),
                Optional.empty(), PeerState.INVALID, why)));
    }

    /** The lease row: every podCIDR, and the public address of the node's first family (IPv6 on an IPv6-only cluster). */
    private static StatusReport.Lease lease(Node me, AnnotationKeys keys, NetConf conf) {
        if (me == null) {
            return new StatusReport.Lease(Optional.empty(), Optional.empty(), "Node object not found");
        }
        Optional<String> subnet = Optional.ofNullable(me.getSpec() == null ? null : me.getSpec().getPodCIDR());
        List<String> all = me.getSpec() == null || me.getSpec().getPodCIDRs() == null ? List.of() : me.getSpec().getPodCIDRs();
        if (subnet.isPresent() && all.size() > 1) {
            subnet = Optional.of(String.join(", ", all)); // dual-stack: both families' subnets
        }
        Map<String, String> ann = me.getMetadata().getAnnotations() == null ? Map.of() : me.getMetadata().getAnnotations();
        return new StatusReport.Lease(subnet, Optional.ofNullable(ann.get(conf.enableIpv4() ? keys.publicIp() : keys.publicIpV6())),
                subnet.isPresent() ? "spec.podCIDR" : "no podCIDR yet");
    }

    /** Each peer's state from the drift between the kernel and {@code desired}; kernel entries nobody claims are stale. */
    static List<StatusReport.Peer> compare(List<PeerRow> rows, DesiredEntries desired, DriftReport drift) {
        Map<String, String> skipped = new HashMap<>();
        desired.skipped().forEach(s -> skipped.put(s.subnet().toString(), s.reason()));
        List<StatusReport.Peer> out = new ArrayList<>();
        List<Drift> unclaimed = new ArrayList<>(drift.drifts());
        for (PeerRow p : rows) {
            String why = skipped.get(p.subnet().toString());
            if (why != null) {
                out.add(p.status(PeerState.SKIPPED, why));
                continue;
            }
            List<Drift> mine = unclaimed.stream()
                    .filter(d -> d.change() != DriftReport.Change.UNEXPECTED && belongsTo(d, p)).toList();
            unclaimed.removeAll(mine);
            PeerState state = mine.isEmpty() ? PeerState.PROGRAMMED : PeerState.MISSING;
            String detail = mine.stream().map(d -> d.kind().name().toLowerCase(java.util.Locale.ROOT) + " "
                    + d.change().name().toLowerCase(java.util.Locale.ROOT)).reduce((a, b) -> a + ", " + b).orElse("");
            out.add(p.status(state, detail));
        }
        for (Drift d : unclaimed) {
            out.add(new StatusReport.Peer("-", Optional.empty(), Optional.empty(), Optional.empty(), PeerState.STALE,
                    d.kind().name().toLowerCase(java.util.Locale.ROOT) + ": " + d.entry()));
        }
        return out;
    }

    /** A drift names its entry the way ip/bridge would; a peer's entries mention its subnet, gateway or MAC. */
    private static boolean belongsTo(Drift d, PeerRow p) {
        String e = d.entry() + " ";
        String gw = IpAddresses.format(p.subnet().networkAddress());
        return e.contains(" " + p.subnet() + " ") || e.contains(" " + gw + " ")
                || (!p.mac().isEmpty() && e.contains(" " + p.mac() + " "));
    }

    static List<StatusReport.Peer> missingAll(List<PeerRow> rows) {
        return rows.stream().map(p -> p.status(PeerState.MISSING, "device missing")).toList();
    }
}
