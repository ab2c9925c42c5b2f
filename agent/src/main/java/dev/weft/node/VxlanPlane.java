package dev.weft.node;

import java.net.InetAddress;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.weft.iface.InterfaceChoice;
import dev.weft.lease.PeerInfo;
import dev.weft.metrics.RepairKind;
import dev.weft.net.IpFamily;
import dev.weft.net.IpPrefix;
import dev.weft.rtnl.MacAddress;
import dev.weft.rtnl.NetlinkException;
import dev.weft.vtep.DesiredEntries;
import dev.weft.vtep.EnsureOutcome;
import dev.weft.vtep.SyncResult;
import dev.weft.vtep.VtepDevice;
import dev.weft.vtep.VtepSpec;

/**
 * One VXLAN device and its per-peer entries, for one IP family, as flanneld has them:
 * {@code flannel.<VNI>} carries IPv4 pods over the IPv4 underlay, {@code flannel-v6.<VNI>} IPv6
 * pods over the IPv6 underlay. Each keeps the MAC its Node annotation already announces, so a
 * restart or a recreated device never strands the peers. Reconcile thread only, but
 * {@link #deviceIndex()}, which the netlink monitor reads.
 */
final class VxlanPlane {
    private static final Logger LOG = LoggerFactory.getLogger(VxlanPlane.class);
    /** flanneld's name for the IPv6 device. */
    static final String V6_PREFIX = "flannel-v6.";

    private final NodeDeps d;
    private final IpFamily family;
    private final String name;
    private final PeerSpecs peerSpecs;
    private Optional<MacAddress> pinnedMac; // null until read from the Node
    private VtepDevice device;
    private volatile int deviceIndex = -1;

    VxlanPlane(NodeDeps deps, IpFamily family) {
        this.d = deps;
        this.family = family;
        int vni = deps.netConf().backend().vni();
        this.name = family == IpFamily.V4 ? deps.config().deviceNameFor(vni) : V6_PREFIX + vni;
        this.peerSpecs = new PeerSpecs(deps.vtep(), deps.netConf().backend().directRouting());
    }

    IpFamily family() {
        return family;
    }

    String name() {
        return name;
    }

    Optional<VtepDevice> device() {
        return Optional.ofNullable(device);
    }

    /** The device's ifindex for the netlink monitor's filter (any thread); -1 before the first ensure. */
    int deviceIndex() {
        return deviceIndex;
    }

    /** Forgets the DirectRouting answers (full resync). */
    void forgetRoutes() {
        peerSpecs.forget();
    }

    /** The device vanished under a sync: the next pass creates it again. */
    void lost() {
        LOG.warn("VXLAN device {} vanished; recreating it", name);
        device = null;
    }

    /**
     * Creates, adopts or repairs the device, its local end {@code local} (an address of this
     * family on the underlay) and its address, the network address of {@code subnet}. False
     * (logged) when the kernel refused.
     */
    boolean ensure(InterfaceChoice iface, InetAddress local, IpPrefix subnet) throws NetlinkException {
        if (pinnedMac == null) {
            pinnedMac = readPublishedMac();
        }
        VtepDevice before = device;
        var b = d.netConf().backend();
        try {
            device = d.vtep().ensure(new VtepSpec(name, b.vni(), local, iface.iface().index(), b.port(), b.learning(), b.gbp(),
                    b.mtu().isPresent() ? OptionalInt.of(b.mtu().getAsInt()) : OptionalInt.empty(), pinnedMac,
                    IpPrefix.host(subnet.networkAddress())));
        } catch (NetlinkException e) {
            LOG.warn("cannot set up VXLAN device {}: {}", name, e.getMessage());
            device = null;
            return false;
        }
        deviceIndex = device.index();
        if (device.outcome() != EnsureOutcome.ADOPTED) {
            LOG.info("VXLAN device {} {} (index {}, MAC {}, MTU {})", device.name(),
                    device.outcome().name().toLowerCase(Locale.ROOT), device.index(), device.mac(), device.mtu());
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
        int vni = d.netConf().backend().vni();
        try {
            var published = family == IpFamily.V4 ? d.publisher().publishedVtepMac(vni) : d.publisher().publishedVtepMacV6(vni);
            return published.map(MacAddress::parse);
        } catch (RuntimeException e) {
            LOG.warn("cannot read the published {} VtepMAC ({}); {} keeps whatever MAC it has", family, e.getMessage(), name);
            return Optional.empty();
        }
    }

    /** The entries this family's peers need. */
    DesiredEntries plan(Collection<PeerInfo> peers, int underlay) {
        return d.vtep().plan(device, peerSpecs.of(peers, underlay, family), underlay);
    }

    /** Writes {@code desired}; with a partial view of the peers ({@code complete} false) nothing is removed. */
    SyncResult sync(DesiredEntries desired, boolean complete) throws NetlinkException {
        return complete ? d.vtep().sync(device, desired) : d.vtep().add(device, desired);
    }
}
