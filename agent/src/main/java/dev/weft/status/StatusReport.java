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
 * @param device the VXLAN device as the kernel has it
 * @param peers  one row per peer, plus rows for stale kernel entries
 */
public record StatusReport(String node, Lease lease, Device device, List<Peer> peers) {
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
        Objects.requireNonNull(device, "device");
        peers = List.copyOf(peers);
    }

    /**
     * True when nothing has drifted: the node has a lease, the device is present and up, and no
     * peer is missing or stale. Invalid peers do not count: they are other nodes' problems, and
     * skipping them is the correct state here.
     */
    public boolean healthy() {
        return lease.subnet().isPresent() && device.present() && device.up()
                && peers.stream().noneMatch(p -> p.state().drift());
    }
}
