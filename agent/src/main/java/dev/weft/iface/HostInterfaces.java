package dev.weft.iface;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

import dev.weft.net.IpFamily;

/**
 * The host's view that interface selection needs, kept this small so that selection is pure
 * logic and the implementation (netlink, in the agent's wiring) is the only kernel-facing part.
 * Implementations may throw unchecked exceptions when the kernel cannot be asked.
 */
public interface HostInterfaces {
    /** Every interface in the namespace, in kernel index order ({@code ip addr show}). */
    List<Iface> list();

    /** The route the kernel would use towards {@code destination} ({@code ip route get <destination>}); empty when unreachable. */
    Optional<RouteLookup> routeGet(InetAddress destination);

    /** The device of the main table's default route of {@code family} ({@code ip -4|-6 route show default}); empty when there is none. */
    Optional<String> defaultRouteDevice(IpFamily family);
}
