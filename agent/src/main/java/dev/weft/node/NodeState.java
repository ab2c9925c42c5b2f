package dev.weft.node;

import java.util.Optional;

import dev.weft.iface.InterfaceChoice;
import dev.weft.lease.NodeLease;
import dev.weft.reconcile.Readiness;
import dev.weft.vtep.VtepDevice;

/**
 * What one reconcile pass leaves behind, published as an immutable snapshot for {@code /readyz}
 * and the logs.
 *
 * @param iface          the chosen underlay interface, once selected
 * @param lease          the node's subnet, once held
 * @param leaseDetail    why there is no lease yet, or what it is
 * @param device         the VXLAN device, once ensured
 * @param deviceDetail   why there is no device yet, or what it is
 * @param subnetEnv      true once subnet.env holds what the agent wants
 * @param subnetEnvDetail what happened to subnet.env
 * @param peersDesired   peers the API announces with valid data
 * @param peersProgrammed peers whose entries the last sync left in the kernel
 * @param peersInvalid   peers skipped for malformed data
 * @param routesOnly     host-gw: there is no device; the data plane is routes on the underlay, ready with the interface
 */
public record NodeState(Optional<InterfaceChoice> iface, Optional<NodeLease> lease, String leaseDetail,
                        Optional<VtepDevice> device, String deviceDetail, boolean subnetEnv, String subnetEnvDetail,
                        int peersDesired, int peersProgrammed, int peersInvalid, boolean routesOnly) {

    public static NodeState initial() {
        return new NodeState(Optional.empty(), Optional.empty(), "not requested yet", Optional.empty(),
                "not created yet", false, "not written yet", 0, 0, 0, false);
    }

    /** Ready means lease + device + subnet.env, as DESIGN.md's /readyz says. */
    public Readiness readiness() {
        return new Readiness(
                lease.isPresent() ? Readiness.Part.ok(leaseDetail) : Readiness.Part.waiting(leaseDetail),
                device.isPresent() || (routesOnly && iface.isPresent())
                        ? Readiness.Part.ok(deviceDetail) : Readiness.Part.waiting(deviceDetail),
                subnetEnv ? Readiness.Part.ok(subnetEnvDetail) : Readiness.Part.waiting(subnetEnvDetail));
    }
}
