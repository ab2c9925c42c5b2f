package dev.weft.e2e.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Peer Nodes shaped like the ones a kubelet and flanneld write (about 8 KB of JSON each: labels,
 * flannel's annotations, podCIDR, ten conditions, addresses, nodeInfo, capacity and two dozen
 * container images with digests), for the bench API server ({@code ScaleApiServerMain}), which
 * holds thousands of them from its start; Nodes that tests change go into the mock's state file.
 * Peer {@code i} (0-based) owns
 * {@code 10.<1 + i / 256>.<i % 256>.0/24} (inside {@link #NETWORK}) and has public IP
 * {@code 198.19.<i / 250>.<1 + i % 250>}: an address nothing ever sends to, because no traffic
 * enters the overlay during the bench. Deterministic: the same index gives the same Node.
 */
public final class SimulatedNodes {
    /** The cluster network: room for 65 536 /24s (a /16 has only 256, too few for N = 5000). */
    public static final String NETWORK = "10.0.0.0/8";
    public static final String PREFIX = "flannel.alpha.coreos.com/";
    static final int IMAGES = 24;
    static final int CONDITIONS = 10;
    private static final HexFormat HEX = HexFormat.of();

    private SimulatedNodes() {
    }

    public static String name(int i) {
        return "peer-" + String.format("%05d", i);
    }

    /** {@code 10.a.b.0/24} of peer {@code i}. */
    public static String subnet(int i) {
        if (i < 0 || i >= 255 * 256) {
            throw new IllegalArgumentException("peer index out of range: " + i);
        }
        return "10." + (1 + i / 256) + "." + (i % 256) + ".0/24";
    }

    /** The subnet's network address, which is also the peer's neighbour (gateway) address. */
    public static String gateway(int i) {
        return subnet(i).substring(0, subnet(i).indexOf('/'));
    }

    public static String publicIp(int i) {
        if (i < 0 || i >= 250 * 256) {
            throw new IllegalArgumentException("peer index out of range: " + i);
        }
        return "198.19." + (i / 250) + "." + (1 + i % 250);
    }

    /** A locally administered unicast MAC unique to {@code i}, lower case. */
    public static String vtepMac(int i) {
        return String.format("0a:58:%02x:%02x:%02x:%02x", (i >>> 24) & 0xff, (i >>> 16) & 0xff, (i >>> 8) & 0xff, i & 0xff);
    }

    /** flanneld's four annotations for peer {@code i}, as a JSON object body (no braces). */
    public static String flannelAnnotations(int i) {
        return q(PREFIX + "backend-data") + ":" + q("{\"VNI\":1,\"VtepMAC\":\"" + vtepMac(i) + "\"}") + ","
                + q(PREFIX + "backend-type") + ":" + q("vxlan") + ","
                + q(PREFIX + "kube-subnet-manager") + ":" + q("true") + ","
                + q(PREFIX + "public-ip") + ":" + q(publicIp(i));
    }

    /** Writes {@code {"nodes":[...],"leases":[]}}, the state file the mock API server loads at start. */
    public static void writeStateFile(Path file, List<String> nodes) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("{\"nodes\":[");
            w.write(String.join(",", nodes));
            w.write("],\"leases\":[]}");
        }
    }

    /**
     * The agent's own Node as the kubelet registered it and kube-controller-manager gave it a
     * podCIDR, before any flannel annotation.
     */
    public static String selfNode(String name, String podCidr, String ip) {
        return render(0x5e1f, name, podCidr, ip, null);
    }

    /** One Node as the API server would store it. */
    public static String json(int i, boolean annotated) {
        return render(i, name(i), subnet(i), publicIp(i), annotated ? flannelAnnotations(i) : null);
    }

    private static String render(int i, String name, String podCidr, String ip, String flannel) {
        SplittableRandom rnd = new SplittableRandom(0x5eed0000L + i);
        StringBuilder b = new StringBuilder(9000);
        b.append("{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{");
        b.append("\"name\":").append(q(name)).append(",\"uid\":").append(q(uuid(rnd))).append(",\"resourceVersion\":\"1\"");
        b.append(",\"creationTimestamp\":\"2025-03-01T08:").append(two(i / 60 % 60)).append(':').append(two(i % 60)).append("Z\"");
        b.append(",\"labels\":{")
                .append(q("beta.kubernetes.io/arch")).append(":\"amd64\",")
                .append(q("beta.kubernetes.io/instance-type")).append(":\"m5.xlarge\",")
                .append(q("beta.kubernetes.io/os")).append(":\"linux\",")
                .append(q("kubernetes.io/arch")).append(":\"amd64\",")
                .append(q("kubernetes.io/hostname")).append(':').append(q(name)).append(',')
                .append(q("kubernetes.io/os")).append(":\"linux\",")
                .append(q("node.kubernetes.io/instance-type")).append(":\"m5.xlarge\",")
                .append(q("topology.kubernetes.io/region")).append(":\"eu-west-1\",")
                .append(q("topology.kubernetes.io/zone")).append(":\"eu-west-1").append((char) ('a' + i % 3)).append("\"}");
        b.append(",\"annotations\":{");
        if (flannel != null) {
            b.append(flannel).append(',');
        }
        b.append(q("node.alpha.kubernetes.io/ttl")).append(":\"0\",")
                .append(q("volumes.kubernetes.io/controller-managed-attach-detach")).append(":\"true\"}}");
        b.append(",\"spec\":{\"podCIDR\":").append(q(podCidr)).append(",\"podCIDRs\":[").append(q(podCidr))
                .append("],\"providerID\":").append(q("aws:///eu-west-1a/i-0" + hex(rnd, 16))).append('}');
        b.append(",\"status\":{");
        resources(b, "capacity", "4", "16099420Ki");
        b.append(',');
        resources(b, "allocatable", "3920m", "15063132Ki");
        b.append(",\"conditions\":").append(conditions("2025-03-01T09:00:00Z"));
        b.append(",\"addresses\":[{\"type\":\"InternalIP\",\"address\":").append(q(ip))
                .append("},{\"type\":\"Hostname\",\"address\":").append(q(name)).append("}]");
        b.append(",\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":10250}}");
        b.append(",\"nodeInfo\":{\"machineID\":").append(q(hex(rnd, 32))).append(",\"systemUUID\":").append(q(uuid(rnd)))
                .append(",\"bootID\":").append(q(uuid(rnd)))
                .append(",\"kernelVersion\":\"6.1.0-28-cloud-amd64\",\"osImage\":\"Debian GNU/Linux 12 (bookworm)\"")
                .append(",\"containerRuntimeVersion\":\"containerd://1.7.24\",\"kubeletVersion\":\"v1.31.4\"")
                .append(",\"kubeProxyVersion\":\"v1.31.4\",\"operatingSystem\":\"linux\",\"architecture\":\"amd64\"}");
        b.append(",\"images\":[");
        images(b, rnd);
        b.append("]}}");
        return b.toString();
    }

    private static void resources(StringBuilder b, String field, String cpu, String memory) {
        b.append(q(field)).append(":{\"cpu\":").append(q(cpu)).append(",\"ephemeral-storage\":\"101430960Ki\"")
                .append(",\"hugepages-1Gi\":\"0\",\"hugepages-2Mi\":\"0\",\"memory\":").append(q(memory))
                .append(",\"pods\":\"110\"}");
    }

    /** The ten status conditions as a JSON array, each with {@code heartbeat} as its lastHeartbeatTime. */
    public static String conditions(String heartbeat) {
        StringBuilder b = new StringBuilder("[");
        String[][] all = {
            {"NetworkUnavailable", "False", "FlannelIsUp", "Flannel is running on this node"},
            {"MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"},
            {"DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"},
            {"PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"},
            {"Ready", "True", "KubeletReady", "kubelet is posting ready status"},
            {"KernelDeadlock", "False", "KernelHasNoDeadlock", "kernel has no deadlock"},
            {"ReadonlyFilesystem", "False", "FilesystemIsNotReadOnly", "Filesystem is not read-only"},
            {"FrequentKubeletRestart", "False", "NoFrequentKubeletRestart", "kubelet is functioning properly"},
            {"FrequentContainerdRestart", "False", "NoFrequentContainerdRestart", "containerd is functioning properly"},
            {"CorruptDockerOverlay2", "False", "NoCorruptDockerOverlay2", "docker overlay2 is functioning properly"},
        };
        for (int c = 0; c < CONDITIONS; c++) {
            if (c > 0) {
                b.append(',');
            }
            b.append(condition(all[c][0], all[c][1], all[c][2], all[c][3], heartbeat));
        }
        return b.append(']').toString();
    }

    /** One status condition; {@code heartbeat} is what a kubelet refreshes. */
    private static String condition(String type, String status, String reason, String message, String heartbeat) {
        return "{\"type\":" + q(type) + ",\"status\":" + q(status) + ",\"lastHeartbeatTime\":" + q(heartbeat)
                + ",\"lastTransitionTime\":\"2025-03-01T08:00:00Z\",\"reason\":" + q(reason) + ",\"message\":" + q(message) + "}";
    }

    private static void images(StringBuilder b, SplittableRandom rnd) {
        String[] repos = {"registry.k8s.io/kube-proxy", "docker.io/flannel/flannel", "quay.io/prometheus/node-exporter",
            "registry.k8s.io/pause", "docker.io/library/nginx", "gcr.io/example-project/payments-service",
            "public.ecr.aws/eks-distro/kubernetes/kube-proxy", "ghcr.io/example-org/checkout-frontend"};
        for (int k = 0; k < IMAGES; k++) {
            if (k > 0) {
                b.append(',');
            }
            String repo = repos[k % repos.length];
            String tag = "v" + (1 + k % 3) + "." + (k % 17) + "." + rnd.nextInt(30);
            b.append("{\"names\":[").append(q(repo + "@sha256:" + hex(rnd, 64))).append(',')
                    .append(q(repo + ":" + tag)).append("],\"sizeBytes\":").append(5_000_000 + rnd.nextInt(400_000_000))
                    .append('}');
        }
    }

    private static String uuid(SplittableRandom rnd) {
        String h = hex(rnd, 32);
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20) + "-"
                + h.substring(20);
    }

    private static String hex(SplittableRandom rnd, int digits) {
        byte[] bytes = new byte[digits / 2];
        rnd.nextBytes(bytes);
        return HEX.formatHex(bytes);
    }

    private static String two(int v) {
        return v < 10 ? "0" + v : String.valueOf(v);
    }

    /** A JSON string literal; the values here never need more than quote and backslash escapes. */
    static String q(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
