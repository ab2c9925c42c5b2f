package dev.weft.status;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code weft status} was asked about.
 *
 * @param nodeName         the node
 * @param kubeconfig       explicit kubeconfig, else in-cluster / {@code $KUBECONFIG}
 * @param annotationPrefix Node annotation prefix
 * @param subnetFile       subnet.env path
 * @param netConfPath      net-conf.json path (for the VNI and Network)
 * @param deviceName       explicit device name, else {@code flannel.<VNI>}
 */
public record StatusRequest(String nodeName, Optional<Path> kubeconfig, String annotationPrefix, Path subnetFile,
                            Path netConfPath, Optional<String> deviceName) {
    public StatusRequest {
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(kubeconfig, "kubeconfig");
        Objects.requireNonNull(annotationPrefix, "annotationPrefix");
        Objects.requireNonNull(subnetFile, "subnetFile");
        Objects.requireNonNull(netConfPath, "netConfPath");
        Objects.requireNonNull(deviceName, "deviceName");
    }
}
