package dev.weft.doctor;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

import dev.weft.iface.InterfaceSpec;

/**
 * What {@code weft doctor} checks against: the same flags the agent runs with.
 *
 * @param interfaces       interface-selection flags
 * @param nodeName         the node, when known (needed for the annotation checks)
 * @param kubeconfig       explicit kubeconfig
 * @param annotationPrefix Node annotation prefix
 * @param subnetFile       subnet.env path
 * @param netConfPath      net-conf.json path
 * @param deviceName       explicit device name, else {@code flannel.<VNI>}
 * @param ipMasq           whether the agent runs with {@code --ip-masq}
 * @param cniConfDir       the container runtime's CNI config directory
 */
public record DoctorRequest(InterfaceSpec interfaces, Optional<String> nodeName, Optional<Path> kubeconfig,
                            String annotationPrefix, Path subnetFile, Path netConfPath, Optional<String> deviceName,
                            boolean ipMasq, Path cniConfDir) {
    public DoctorRequest {
        Objects.requireNonNull(interfaces, "interfaces");
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(kubeconfig, "kubeconfig");
        Objects.requireNonNull(annotationPrefix, "annotationPrefix");
        Objects.requireNonNull(subnetFile, "subnetFile");
        Objects.requireNonNull(netConfPath, "netConfPath");
        Objects.requireNonNull(deviceName, "deviceName");
        Objects.requireNonNull(cniConfDir, "cniConfDir");
    }
}
