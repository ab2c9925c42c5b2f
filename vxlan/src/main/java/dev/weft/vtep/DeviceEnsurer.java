package dev.weft.vtep;

import dev.weft.ffi.Errno;
import dev.weft.net.IpPrefix;
import dev.weft.rtnl.Address;
import dev.weft.rtnl.Link;
import dev.weft.rtnl.NetlinkException;
import dev.weft.rtnl.RtnlClient;
import dev.weft.rtnl.Scope;
import dev.weft.rtnl.VxlanInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the VXLAN device to its spec (DESIGN.md): create it when absent; keep a compatible one
 * (same tunnel parameters) without ever recreating it, so traffic does not flap; replace an
 * incompatible one, logging what differed. Then converge what can change in place — MTU, the
 * pinned MAC, the /32 address, up — writing only what is wrong.
 *
 * <p>TX checksum offload is left as the kernel sets it (on), as flanneld does: with it off the
 * device loses TSO, so TCP is segmented to the MTU before encapsulation and every segment is
 * encapsulated and forwarded alone, which B7 measures at about a fifth of the throughput. Turning it
 * off is the agent's opt-in workaround for paths that corrupt VXLAN checksums.
 */
final class DeviceEnsurer {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceEnsurer.class);

    private final RtnlClient rtnl;

    DeviceEnsurer(RtnlClient rtnl) {
        this.rtnl = rtnl;
    }

    VtepDevice ensure(VtepSpec spec) throws NetlinkException {
        Link underlay = rtnl.link(spec.underlayIndex()).orElseThrow(() -> new NetlinkException(Errno.ENODEV, 0,
                "underlay interface #" + spec.underlayIndex() + " for " + spec.name(), null, null));
        int mtu = spec.mtu().orElse(underlay.mtu() - spec.overhead());
        Optional<Link> existing = rtnl.link(spec.name());
        EnsureOutcome outcome;
        Link link;
        if (existing.isEmpty()) {
            link = rtnl.createVxlan(spec.toLinkSpec(mtu));
            outcome = EnsureOutcome.CREATED;
            LOG.info("created VXLAN device {} (vni {}, local {}, dev {}, port {})", spec.name(), spec.vni(),
                    IpPrefix.format(spec.local()), underlay.name(), spec.port());
        } else {
            List<String> differences = incompatibilities(existing.get(), spec);
            if (differences.isEmpty()) {
                link = existing.get();
                outcome = EnsureOutcome.ADOPTED;
                LOG.info("adopting existing VXLAN device {} as is", spec.name());
            } else {
                LOG.warn("replacing incompatible device {}: {}", spec.name(), String.join(", ", differences));
                rtnl.deleteLink(existing.get().index());
                link = rtnl.createVxlan(spec.toLinkSpec(mtu));
                outcome = EnsureOutcome.REPLACED;
            }
        }
        converge(link, spec, mtu);
        Link now = rtnl.link(link.index()).orElseThrow(() -> new NetlinkException(Errno.ENODEV, 0,
                "link show " + spec.name() + " after configuring it (it vanished)", null, null));
        return new VtepDevice(now.index(), now.name(), now.mac().orElseThrow(() -> new NetlinkException(Errno.EINVAL, 0,
                "link show " + spec.name() + " (the device reports no MAC address)", null, null)), now.mtu(), outcome);
    }

    /** What makes an existing device unusable as is; empty when it can be adopted. */
    static List<String> incompatibilities(Link link, VtepSpec spec) {
        List<String> d = new ArrayList<>();
        if (!link.isVxlan() || link.vxlan().isEmpty()) {
            d.add("kind " + link.kind().orElse("(none)") + " -> vxlan");
            return d;
        }
        VxlanInfo v = link.vxlan().get();
        if (v.vni() != spec.vni()) {
            d.add("vni " + v.vni() + " -> " + spec.vni());
        }
        if (!v.local().equals(Optional.of(spec.local()))) {
            d.add("local " + v.local().map(IpPrefix::format).orElse("(none)") + " -> " + IpPrefix.format(spec.local()));
        }
        if (!v.underlayIndex().equals(OptionalInt.of(spec.underlayIndex()))) {
            d.add("dev #" + (v.underlayIndex().isPresent() ? v.underlayIndex().getAsInt() : "(none)") + " -> #"
                    + spec.underlayIndex());
        }
        if (v.port() != spec.port()) {
            d.add("dstport " + v.port() + " -> " + spec.port());
        }
        if (v.learning() != spec.learning()) {
            d.add((v.learning() ? "learning" : "nolearning") + " -> " + (spec.learning() ? "learning" : "nolearning"));
        }
        if (v.gbp() != spec.gbp()) {
            d.add("gbp " + v.gbp() + " -> " + spec.gbp());
        }
        return d;
    }

    private void converge(Link link, VtepSpec spec, int mtu) throws NetlinkException {
        int index = link.index();
        if (link.mtu() != mtu) {
            LOG.info("{}: mtu {} -> {}", spec.name(), link.mtu(), mtu);
            rtnl.setMtu(index, mtu);
        }
        if (spec.mac().isPresent() && !link.mac().equals(spec.mac())) {
            LOG.info("{}: pinning MAC {} (was {})", spec.name(), spec.mac().get(), link.mac().map(Object::toString).orElse("none"));
            rtnl.setMac(index, spec.mac().get());
        }
        convergeAddress(index, spec);
        if (!link.up()) {
            rtnl.setUp(index);
        }
    }

    /** Exactly one global address of the spec's family: the wanted one. Link-local addresses stay. */
    private void convergeAddress(int index, VtepSpec spec) throws NetlinkException {
        boolean present = false;
        for (Address a : rtnl.addresses(index)) {
            if (a.prefix().family() != spec.address().family() || a.scope() != Scope.UNIVERSE) {
                continue;
            }
            if (a.prefix().equals(spec.address())) {
                present = true;
            } else {
                LOG.info("{}: removing stale address {}", spec.name(), a.prefix());
                deleteIgnoringAbsent(index, a.prefix());
            }
        }
        if (!present) {
            rtnl.replaceAddress(index, spec.address());
        }
    }

    private void deleteIgnoringAbsent(int index, IpPrefix p) throws NetlinkException {
        try {
            rtnl.deleteAddress(index, p);
        } catch (NetlinkException e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }
}
