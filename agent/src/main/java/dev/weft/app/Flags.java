package dev.weft.app;

import java.util.List;
import java.util.Optional;

import dev.weft.app.FlagDef.Kind;

/**
 * Every flag weft accepts, named as flanneld names them where flanneld has one, so that a
 * flannel DaemonSet's arguments carry over. Which command takes which flag is decided in
 * {@link WeftCli}.
 */
public final class Flags {
    public static final String DEFAULT_SUBNET_FILE = "/run/flannel/subnet.env";
    public static final String DEFAULT_NET_CONF = "/etc/kube-flannel/net-conf.json";
    public static final String DEFAULT_ANNOTATION_PREFIX = "flannel.alpha.coreos.com";
    public static final String DEFAULT_HEALTHZ_IP = "0.0.0.0";
    public static final int DEFAULT_HEALTHZ_PORT = 9471;
    public static final String DEFAULT_RESYNC = "60s";
    public static final String DEFAULT_LEASE_NAMESPACE = "kube-system";
    public static final String DEFAULT_CNI_CONF_DIR = "/etc/cni/net.d";

    public static final FlagDef IFACE = def("--iface", "NAME|IP", Kind.LIST, null,
            "Underlay interface, by name or by one of its addresses; repeat to give fallbacks in order.");
    public static final FlagDef IFACE_REGEX = def("--iface-regex", "REGEX", Kind.LIST, null,
            "Regex matched against interface addresses, then names (unanchored); tried after --iface.");
    public static final FlagDef IFACE_CAN_REACH = def("--iface-can-reach", "IP", Kind.VALUE, null,
            "Use the interface of the route towards this address; tried after --iface-regex.");
    public static final FlagDef PUBLIC_IP = def("--public-ip", "IP", Kind.VALUE, null,
            "IPv4 address peers send VXLAN traffic to (e.g. behind NAT); default: the interface's address.");
    public static final FlagDef PUBLIC_IPV6 = def("--public-ipv6", "IP", Kind.VALUE, null,
            "IPv6 address peers send IPv6 traffic to (EnableIPv6); default: the interface's global IPv6 address.");
    public static final FlagDef SUBNET_FILE = def("--subnet-file", "PATH", Kind.VALUE, DEFAULT_SUBNET_FILE,
            "Where subnet.env is written for the CNI plugin.");
    public static final FlagDef NET_CONFIG_PATH = def("--net-config-path", "PATH", Kind.VALUE, DEFAULT_NET_CONF,
            "The flannel-format net-conf.json.");
    public static final FlagDef IP_MASQ = def("--ip-masq", "BOOL", Kind.SWITCH, "false",
            "Masquerade pod traffic leaving the pod network, in weft's own chains.");
    public static final FlagDef HEALTHZ_IP = def("--healthz-ip", "IP", Kind.VALUE, DEFAULT_HEALTHZ_IP,
            "Address the /healthz /readyz /metrics server binds.");
    public static final FlagDef HEALTHZ_PORT = def("--healthz-port", "PORT", Kind.VALUE, String.valueOf(DEFAULT_HEALTHZ_PORT),
            "Port of the /healthz /readyz /metrics server; 0 turns it off.");
    public static final FlagDef ANNOTATION_PREFIX = def("--annotation-prefix", "PREFIX", Kind.VALUE, DEFAULT_ANNOTATION_PREFIX,
            "Prefix of the Node annotations weft reads and writes.");
    public static final FlagDef KUBECONFIG = new FlagDef(List.of("--kubeconfig", "--kubeconfig-file"), "PATH",
            "kubeconfig file; default: in-cluster service account, else $KUBECONFIG.", Kind.VALUE, Optional.empty());
    public static final FlagDef DEVICE_NAME = def("--device-name", "NAME", Kind.VALUE, "flannel.<VNI>",
            "Name of the VXLAN device.");
    public static final FlagDef RESYNC_PERIOD = def("--resync-period", "DURATION", Kind.VALUE, DEFAULT_RESYNC,
            "Full resync interval (e.g. 60s, 1m, 500ms).");
    public static final FlagDef DISABLE_TX_CSUM = def("--disable-tx-checksum-offload", "BOOL", Kind.SWITCH, "false",
            "Turn off TX checksum offload on the VXLAN device, for paths that corrupt VXLAN checksums (NAT, some NICs);"
                    + " it also turns off TSO through the tunnel, so cross-node TCP gets several times slower.");
    public static final FlagDef NODE_NAME = def("--node-name", "NAME", Kind.VALUE, "$NODE_NAME",
            "This node's Kubernetes name.");
    public static final FlagDef LEASE_NAMESPACE = def("--lease-namespace", "NS", Kind.VALUE, "$POD_NAMESPACE, else kube-system",
            "Namespace of the subnet lock Leases.");
    public static final FlagDef KUBE_SUBNET_MGR = def("--kube-subnet-mgr", "BOOL", Kind.SWITCH, "true",
            "Accepted for flanneld compatibility; weft always keeps subnets in the Kubernetes API.");
    public static final FlagDef LOG_FORMAT = def("--log-format", "text|json", Kind.VALUE, "text",
            "Log line format on stderr; json gives one object per line.");
    public static final FlagDef LOG_LEVEL = def("--log-level", "LEVEL", Kind.VALUE, "info",
            "trace, debug, info, warn or error.");
    public static final FlagDef OUTPUT = def("--output", "table|json", Kind.VALUE, "table",
            "Output format.");
    public static final FlagDef CNI_CONF_DIR = def("--cni-conf-dir", "DIR", Kind.VALUE, DEFAULT_CNI_CONF_DIR,
            "Directory the container runtime reads CNI network configs from.");

    /** The flags of {@code weft agent}. */
    public static final List<FlagDef> AGENT = List.of(IFACE, IFACE_REGEX, IFACE_CAN_REACH, PUBLIC_IP, PUBLIC_IPV6, SUBNET_FILE,
            NET_CONFIG_PATH, IP_MASQ, HEALTHZ_IP, HEALTHZ_PORT, ANNOTATION_PREFIX, KUBECONFIG, DEVICE_NAME,
            RESYNC_PERIOD, DISABLE_TX_CSUM, NODE_NAME, LEASE_NAMESPACE, KUBE_SUBNET_MGR, LOG_FORMAT, LOG_LEVEL);
    /** The flags of {@code weft status}. */
    public static final List<FlagDef> STATUS = List.of(OUTPUT, NODE_NAME, KUBECONFIG, ANNOTATION_PREFIX,
            SUBNET_FILE, NET_CONFIG_PATH, DEVICE_NAME, LOG_FORMAT, LOG_LEVEL);
    /** The flags of {@code weft doctor}. */
    public static final List<FlagDef> DOCTOR = List.of(IFACE, IFACE_REGEX, IFACE_CAN_REACH, PUBLIC_IP, PUBLIC_IPV6, NODE_NAME,
            KUBECONFIG, ANNOTATION_PREFIX, SUBNET_FILE, NET_CONFIG_PATH, DEVICE_NAME, IP_MASQ, CNI_CONF_DIR,
            LOG_FORMAT, LOG_LEVEL);
    /** The flags of {@code weft cleanup}. */
    public static final List<FlagDef> CLEANUP = List.of(SUBNET_FILE, NET_CONFIG_PATH, DEVICE_NAME, LOG_FORMAT, LOG_LEVEL);

    private Flags() {
    }

    private static FlagDef def(String name, String label, Kind kind, String dflt, String description) {
        return new FlagDef(List.of(name), label, description, kind, Optional.ofNullable(dflt));
    }
}
