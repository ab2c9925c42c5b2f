package dev.weft.status;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code weft status} shows: this node's lease and device, and every peer's state. Built by
 * the wiring from the API and the kernel; rendered by {@link StatusRenderer}.
 *
 * @param node   this node's name
 * @param lease  the lease as the API has it
 * @param devices the VXLAN devices as the kernel has them, IPv4's first (host-gw: the underlay interface)
 * @param peers  one row per peer and family, plus rows for stale kernel entries
 */
public record StatusReport(String node, Lease lease, List<Device> devices, List<Peer> peers) {
    /** The node's subnet lease; {@code subnet} empty when it has none. */
    public record Lease(Optional<String> subnet, Optional<String> publicIp, String detail) {
        public Lease {
            Objects.requireNonNull(subnet, "subnet");
            Objects.requireNonNull(publicIp, "publicIp");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** The VXLAN device; {@code present} false when the kernel has no such link. */
    public record Device(String name, boolean present, boolean up, Optional<String> mac, Optional<Integer> mtu, String detail) {
        public Device {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(mac, "mac");
            Objects.requireNonNull(mtu, "mtu");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** One peer (or stale entry): fields are empty where unknown or unparseable. */
    public record Peer(String node, Optional<String> subnet, Optional<String> publicIp, Optional<String> vtepMac,
                       PeerState state, String detail) {
        public Peer {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(subnet, "subnet");
            Objects.requireNonNull(publicIp, "publicIp");
            Objects.requireNonNull(vtepMac, "vtepMac");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(detail, "detail");
        }
    }

    public StatusReport {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(lease, "lease");
        devices = List.copyOf(devices);
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("a status report has at least one device row");
        }
        peers = List.copyOf(peers);
    }

    /** A report with one device. */
    public StatusReport(String node, Lease lease, Device device, List<Peer> peers) {
        this(node, lease, List.of(device), peers);
    }

    /** The first device: IPv4's VXLAN device (IPv6's on an IPv6-only node, host-gw's underlay with host-gw). */
    public Device device() {
        return devices.getFirst();
    }

    /**
     * True when nothing has drifted: the node has a lease, every device is present and up, and no
     * peer is missing or stale. Invalid peers do not count: they are other nodes' problems, and
     * skipping them is the correct state here.
     */
    public boolean healthy() {
        return lease.subnet().isPresent() && devices.stream().allMatch(d -> d.present() && d.up())
                && peers.stream().noneMatch(p -> p.state().drift());
    }
}
