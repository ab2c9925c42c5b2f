package dev.weft.app;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code weft cleanup} removes. Paths are not required to exist: cleanup must work on a
 * half-broken host.
 *
 * @param subnetFile  subnet.env to delete
 * @param netConfPath net-conf.json, read (when present) for the VNI that names the device
 * @param deviceName  explicit device name, else {@code flannel.<VNI>}
 */
public record CleanupRequest(Path subnetFile, Path netConfPath, Optional<String> deviceName) {
    public CleanupRequest {
        Objects.requireNonNull(subnetFile, "subnetFile");
        Objects.requireNonNull(netConfPath, "netConfPath");
        Objects.requireNonNull(deviceName, "deviceName");
    }
}
