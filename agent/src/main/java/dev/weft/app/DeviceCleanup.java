package dev.weft.app;

/**
 * Removes the VXLAN device (and with it every route, neighbour and FDB entry on it) for
 * {@code weft cleanup}. Implemented by the wiring with vxlan's netlink client.
 */
@FunctionalInterface
public interface DeviceCleanup {
    /** Removes the device; returns one line saying what was removed, or that there was nothing. */
    String removeDevice(CleanupRequest request) throws Exception;
}
