package dev.weft.node;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import dev.weft.doctor.DoctorCheck;
import dev.weft.doctor.DoctorRequest;
import dev.weft.doctor.Finding;
import dev.weft.iface.InterfaceChoice;
import dev.weft.iface.InterfaceSelector;
import dev.weft.lease.NetConf;
import dev.weft.lease.env.SubnetEnv;
import dev.weft.net.IpAddresses;
import dev.weft.net.IpFamily;
import dev.weft.netns.Netns;
import dev.weft.rtnl.NetlinkException;
import dev.weft.rtnl.RtnlClient;
import dev.weft.status.StatusReport;
import dev.weft.status.StatusRequest;
import dev.weft.vtep.Vtep;
import dev.weft.vtep.VtepDevice;

/**
 * {@code weft doctor}'s data-plane checks, the ones people otherwise run by hand with {@code ip},
 * {@code bridge}, {@code arp} and {@code ethtool}: the chosen interface and why, MTU consistency,
 * device MAC vs the published VtepMAC, every peer's ARP/FDB/route, and TX checksum offload.
 */
public final class DataPlaneDoctor implements DoctorCheck {

    @Override
    public List<Finding> run(DoctorRequest req) {
        List<Finding> out = new ArrayList<>();
        NetConf conf;
        try {
            conf = NetConfs.read(req.netConfPath());
        } catch (Exception e) {
            out.add(Finding.fail("net-conf", e.getMessage(), "fix " + req.netConfPath() + " (see DESIGN: net-conf.json)"));
            return out;
        }
        String devName = req.deviceName().orElse("flannel." + conf.backend().vni());
        try (RtnlClient rtnl = RtnlClient.open(Netns.current())) {
            Optional<InterfaceChoice> iface = checkInterface(rtnl, req, conf, out);
            Optional<VtepDevice> dev = conf.backend().isHostGw() || conf.ipv6Only() ? Optional.empty() : new Vtep(rtnl).find(devName);
            if (conf.backend().isHostGw()) {
                checkHostGw(req, iface, out);
            } else if (conf.ipv6Only()) {
                // an IPv6-only node has one device, flanneld's flannel-v6.<VNI>, and no flannel.<VNI>
                Optional<VtepDevice> v6 = checkV6Device(rtnl, conf, iface, out);
                if (v6.isPresent()) {
                    checkMtu(req, conf, iface, v6.get(), v6.get().mtu(), out);
                    out.add(txChecksum(rtnl.txChecksumEnabled(v6.get().index()), v6.get().name()));
                    out.add(routeForm(weftNexthops(rtnl, v6.get().index()), v6.get().name()));
                }
            } else if (dev.isEmpty()) {
                out.add(Finding.fail("device", devName + " does not exist", "is the weft agent running on this node? see its log"));
            } else {
                out.add(Finding.ok("device", devName + " index " + dev.get().index() + ", MAC " + dev.get().mac()));
                Optional<VtepDevice> v6 = conf.enableIpv6() ? checkV6Device(rtnl, conf, iface, out) : Optional.empty();
                checkMtu(req, conf, iface, dev.get(), Math.min(dev.get().mtu(), v6.map(VtepDevice::mtu).orElse(Integer.MAX_VALUE)), out);
                out.add(txChecksum(rtnl.txChecksumEnabled(dev.get().index()), devName));
                out.add(routeForm(weftNexthops(rtnl, dev.get().index()), devName));
            }
        } catch (Exception e) {
            out.add(Finding.fail("netlink", "cannot read the kernel's state: " + e.getMessage(), "run as root (NET_ADMIN)"));
        }
        checkPeers(req, conf, dev(out), out);
        return out;
    }

    /** On is the kernel's default and what TSO through the tunnel needs; off is a workaround with a price. */
    static Finding txChecksum(boolean on, String devName) {
        return on ? Finding.ok("tx-checksum", "TX checksum offload is on for " + devName + " (TCP is segmented after encapsulation)")
                : Finding.warn("tx-checksum", "TX checksum offload is off for " + devName
                        + ": TCP is segmented before encapsulation, several times slower across nodes",
                        "keep it off (--disable-tx-checksum-offload) only where VXLAN checksums arrive corrupted (NAT, some NICs)");
    }

    /** How many nexthop objects weft has on the device; empty when the kernel has none at all (before Linux 5.3). */
    private static OptionalLong weftNexthops(RtnlClient rtnl, int index) throws NetlinkException {
        try {
            return OptionalLong.of(rtnl.nexthops(index).stream().filter(n -> n.protocol() == Vtep.ROUTE_PROTOCOL).count());
        } catch (NetlinkException e) {
            if (e.isNotSupported()) {
                return OptionalLong.empty();
            }
            throw e;
        }
    }

    /** Nexthop objects keep programming linear in the number of peers; without them it grows with its square. */
    static Finding routeForm(OptionalLong weftNexthops, String devName) {
        if (weftNexthops.isEmpty()) {
            return Finding.warn("routes", "this kernel has no nexthop objects: peer routes on " + devName
                    + " carry their own gateway, and programming N peers takes time growing with N²",
                    "Linux 5.3 or newer lets weft give each peer a nexthop object (linear)");
        }
        return Finding.ok("routes", "nexthop objects available; weft has " + weftNexthops.getAsLong() + " on " + devName
                + " (ip nexthop show proto " + Vtep.ROUTE_PROTOCOL + ")");
    }

    private static Optional<InterfaceChoice> checkInterface(RtnlClient rtnl, DoctorRequest req, NetConf conf, List<Finding> out) {
        try {
            InterfaceChoice c = new InterfaceSelector(new NetlinkHostInterfaces(rtnl)).select(req.interfaces()
                    .forFamily(conf.ipv6Only() ? IpFamily.V6 : IpFamily.V4));
            out.add(Finding.ok("interface", c.iface().name() + " (" + c.why() + "), address " + IpAddresses.format(c.localAddress())
                    + ", MTU " + c.iface().mtu()));
            return Optional.of(c);
        } catch (Exception e) {
            out.add(Finding.fail("interface", e.getMessage(), "pass --iface, --iface-regex or --iface-can-reach"));
            return Optional.empty();
        }
    }

    /** host-gw has no device and no encapsulation: the pods' MTU (subnet.env) is the underlay's. */
    private static void checkHostGw(DoctorRequest req, Optional<InterfaceChoice> iface, List<Finding> out) {
        out.add(Finding.ok("device", "host-gw: no VXLAN device" + iface.map(c -> ", routes via " + c.iface().name()).orElse("")));
        if (iface.isEmpty()) {
            return;
        }
        int underlay = iface.get().iface().mtu();
        String env = subnetEnvMtu(req);
        String seen = "underlay " + underlay + ", subnet.env " + env;
        out.add(env.equals("-") || env.equals(String.valueOf(underlay)) ? Finding.ok("mtu", seen)
                : Finding.fail("mtu", seen + " (expected subnet.env " + underlay + ")",
                        "restart the agent so it rewrites subnet.env; pods keep the old MTU until recreated"));
    }

    private static String subnetEnvMtu(DoctorRequest req) {
        try {
            return Files.isReadable(req.subnetFile()) ? String.valueOf(SubnetEnv.read(req.subnetFile()).mtu()) : "-";
        } catch (Exception e) {
            return "unreadable";
        }
    }

    /** The IPv6 device, flanneld's {@code flannel-v6.<VNI>}, and its MTU (underlay − 70: the outer header is IPv6). */
    private static Optional<VtepDevice> checkV6Device(RtnlClient rtnl, NetConf conf, Optional<InterfaceChoice> iface,
                                                      List<Finding> out) throws Exception {
        String name = VxlanPlane.V6_PREFIX + conf.backend().vni();
        Optional<VtepDevice> dev = new Vtep(rtnl).find(name);
        if (dev.isEmpty()) {
            out.add(Finding.fail("device-v6", name + " does not exist (EnableIPv6 is true)", "see the agent's log for the IPv6 underlay"));
            return dev;
        }
        int want = conf.backend().mtu().isPresent() ? conf.backend().mtu().getAsInt()
                : iface.map(c -> c.iface().mtu() - 70).orElse(dev.get().mtu());
        String seen = name + " index " + dev.get().index() + ", MAC " + dev.get().mac() + ", MTU " + dev.get().mtu();
        out.add(dev.get().mtu() == want ? Finding.ok("device-v6", seen)
                : Finding.fail("device-v6", seen + " (expected MTU " + want + ")", "restart the agent so it re-ensures the device"));
        return dev;
    }

    /** {@code envWant}: the pods' MTU subnet.env should give, the smallest of the devices'. */
    private static void checkMtu(DoctorRequest req, NetConf conf, Optional<InterfaceChoice> iface, VtepDevice dev, int envWant,
                                 List<Finding> out) {
        int want = conf.backend().mtu().isPresent() ? conf.backend().mtu().getAsInt()
                : iface.map(c -> c.iface().mtu() - (c.localAddress().getAddress().length == 16 ? 70 : 50)).orElse(dev.mtu());
        String env = subnetEnvMtu(req);
        String seen = "underlay " + iface.map(c -> String.valueOf(c.iface().mtu())).orElse("?") + ", device " + dev.mtu()
                + ", subnet.env " + env;
        boolean ok = dev.mtu() == want && (env.equals("-") || env.equals(String.valueOf(envWant)));
        out.add(ok ? Finding.ok("mtu", seen)
                : Finding.fail("mtu", seen + " (expected device " + want + ")",
                        "restart the agent so it re-ensures the device and rewrites subnet.env; pods keep the old MTU until recreated"));
    }

    private static void checkPeers(DoctorRequest req, NetConf conf, boolean devicePresent, List<Finding> out) {
        if (req.nodeName().isEmpty()) {
            out.add(Finding.warn("peers", "node name unknown: peer and VtepMAC checks skipped", "pass --node-name or set NODE_NAME"));
            return;
        }
        try {
            StatusReport r = new KernelStatus().read(new StatusRequest(req.nodeName().get(), req.kubeconfig(),
                    req.annotationPrefix(), req.subnetFile(), req.netConfPath(), req.deviceName()));
            checkVtepMac(r, req, conf, out);
            for (StatusReport.Peer p : r.peers()) {
                String what = p.node() + " " + p.subnet().orElse("") + " via " + p.publicIp().orElse("?");
                out.add(switch (p.state()) {
                    case PROGRAMMED -> Finding.ok("peer", what + (conf.backend().isHostGw() ? ": route present"
                            : ": ARP, FDB and route present"));
                    case MISSING -> Finding.fail("peer", what + ": " + p.detail(), "the agent repairs this within a second; if not, see its log");
                    case STALE -> Finding.warn("peer", "stale " + p.detail(), "the agent removes it on its next pass");
                    case INVALID -> Finding.warn("peer", p.node() + " skipped: " + p.detail(), "fix that Node's annotations");
                    case SKIPPED -> Finding.warn("peer", what + " not programmed: " + p.detail(),
                            "pods on that node are unreachable from here; put the nodes on one L2 network or use the vxlan backend");
                });
            }
            if (r.peers().isEmpty() && devicePresent) {
                out.add(Finding.ok("peers", "no peers announced"));
            }
        } catch (Exception e) {
            out.add(Finding.warn("peers", "cannot read peers from the API: " + e.getMessage(), "check --kubeconfig and API reachability"));
        }
    }

    private static void checkVtepMac(StatusReport r, DoctorRequest req, NetConf conf, List<Finding> out) {
        Optional<String> devMac = r.device().mac();
        if (devMac.isEmpty()) {
            return;
        }
        Optional<String> published;
        try (var client = dev.weft.lease.kube.KubeClients.create(req.kubeconfig())) {
            var publisher = new dev.weft.lease.kube.NodePublisher(client, req.nodeName().get(),
                    new dev.weft.lease.kube.AnnotationKeys(req.annotationPrefix()));
            // the report's first device: flannel.<VNI>, or flannel-v6.<VNI> on an IPv6-only node
            published = conf.ipv6Only() ? publisher.publishedVtepMacV6(conf.backend().vni())
                    : publisher.publishedVtepMac(conf.backend().vni());
        }
        if (published.isEmpty()) {
            out.add(Finding.warn("vtep-mac", "no VtepMAC published for " + req.nodeName().get(),
                    "the agent publishes it once the device is up; see its log"));
        } else if (published.get().equalsIgnoreCase(devMac.get())) {
            out.add(Finding.ok("vtep-mac", "device MAC " + devMac.get() + " matches the published VtepMAC"));
        } else {
            // Peers program the published MAC; a different device MAC strands them.
            out.add(Finding.fail("vtep-mac", "device MAC " + devMac.get() + " but published VtepMAC " + published.get(),
                    "restart the agent: it pins the device MAC to the published one"));
        }
    }

    private static boolean dev(List<Finding> out) {
        return out.stream().anyMatch(f -> (f.check().equals("device") || f.check().equals("device-v6")) && f.level() == Finding.Level.OK);
    }
}
