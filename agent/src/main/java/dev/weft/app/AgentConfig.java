package dev.weft.app;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import dev.weft.iface.InterfaceSpec;
import dev.weft.logging.LogFormat;
import dev.weft.logging.LogLevel;

/**
 * Everything {@code weft agent} was told, validated and parsed once at startup. Immutable; the
 * rest of the agent receives this record instead of reading flags or the environment itself.
 *
 * @param nodeName                 this node's Kubernetes name ({@code --node-name}, else {@code NODE_NAME})
 * @param interfaces               underlay selection flags
 * @param subnetFile               where subnet.env goes
 * @param netConfPath              net-conf.json, checked readable at parse time; its content is parsed by subnet-lease
 * @param ipMasq                   install weft's masquerade/forward rules
 * @param healthzIp                bind address of the health/metrics server
 * @param healthzPort              its port; 0 means the server is off
 * @param annotationPrefix         Node annotation prefix
 * @param kubeconfig               explicit kubeconfig; empty means in-cluster or {@code $KUBECONFIG}
 * @param deviceName               explicit VXLAN device name; empty means {@code flannel.<VNI>}
 * @param resyncPeriod             full resync interval
 * @param disableTxChecksumOffload turn TX checksum offload off on the device
 * @param leaseNamespace           namespace of the subnet lock Leases
 * @param logFormat                text or json
 * @param logLevel                 root log level
 */
public record AgentConfig(
        String nodeName,
        InterfaceSpec interfaces,
        Path subnetFile,
        Path netConfPath,
        boolean ipMasq,
        InetAddress healthzIp,
        int healthzPort,
        String annotationPrefix,
        Optional<Path> kubeconfig,
        Optional<String> deviceName,
        Duration resyncPeriod,
        boolean disableTxChecksumOffload,
        String leaseNamespace,
        LogFormat logFormat,
        LogLevel logLevel) {

    public AgentConfig {
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(interfaces, "interfaces");
        Objects.requireNonNull(subnetFile, "subnetFile");
        Objects.requireNonNull(netConfPath, "netConfPath");
        Objects.requireNonNull(healthzIp, "healthzIp");
        Objects.requireNonNull(annotationPrefix, "annotationPrefix");
        Objects.requireNonNull(kubeconfig, "kubeconfig");
        Objects.requireNonNull(deviceName, "deviceName");
        Objects.requireNonNull(resyncPeriod, "resyncPeriod");
        Objects.requireNonNull(leaseNamespace, "leaseNamespace");
        Objects.requireNonNull(logFormat, "logFormat");
        Objects.requireNonNull(logLevel, "logLevel");
    }

    /** The device name for VNI {@code vni}: {@code --device-name}, else {@code flannel.<vni>} as flanneld names it. */
    public String deviceNameFor(int vni) {
        return deviceName.orElse("flannel." + vni);
    }

    /** False when {@code --healthz-port 0} turned the health/metrics server off. */
    public boolean healthzEnabled() {
        return healthzPort != 0;
    }
}
