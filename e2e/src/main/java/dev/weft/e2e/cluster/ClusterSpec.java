package dev.weft.e2e.cluster;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shape of a cluster to build.
 *
 * @param prefix      prefix of every namespace name; tests use {@code wt-<pid>-c<n>-} so the
 *                    leftover sweeper can tell a crashed run's namespaces from a live one's
 * @param nodes       number of nodes started at once
 * @param podsPerNode pods wired on each node once it is ready
 * @param network     the cluster Pod CIDR written to net-conf.json
 * @param workDir     where kubeconfig, logs, subnet.env files and CNI state go
 * @param kubeconfig  an existing cluster's kubeconfig to use for the API part instead of the
 *                    mock server process ({@link ExternalApi}); empty for the mock server
 * @param agentImage  the image each node's agent runs from, as deploy/weft.yaml's DaemonSet pod
 *                    ({@link #withAgentImage}); empty for the build tree's agent
 */
public record ClusterSpec(String prefix, int nodes, int podsPerNode, String network, Path workDir,
                          Optional<Path> kubeconfig, Optional<String> agentImage) {
    /**
     * The default Pod CIDR against an existing cluster: the upper half of the benchmarking range
     * (the underlay has 198.18.0.0/24), which no cluster hands out, so it cannot overlap the real
     * cluster's pod or service ranges.
     */
    public static final String EXTERNAL_NETWORK = "198.19.0.0/16";
    private static final AtomicInteger SEQ = new AtomicInteger();

    public ClusterSpec {
        if (!prefix.matches("[a-z0-9][a-z0-9-]{0,23}")) {
            throw new IllegalArgumentException("bad namespace prefix: " + prefix);
        }
        if (nodes < 1 || nodes > 50 || podsPerNode < 0 || podsPerNode > 50) {
            throw new IllegalArgumentException("nodes must be 1..50 and pods per node 0..50");
        }
        if (kubeconfig.isPresent() && agentImage.isPresent()) {
            throw new IllegalArgumentException("an agent image runs against the cluster's own API server only:"
                    + " its pods are configured in-cluster, from a service account the harness issues");
        }
        agentImage.ifPresent(i -> {
            if (!i.matches("[a-z0-9][a-z0-9._/:-]*[a-z0-9]")) {
                throw new IllegalArgumentException("bad image name: " + i);
            }
        });
    }

    /** As given, without an agent image. */
    public ClusterSpec(String prefix, int nodes, int podsPerNode, String network, Path workDir, Optional<Path> kubeconfig) {
        this(prefix, nodes, podsPerNode, network, workDir, kubeconfig, Optional.empty());
    }

    /** A cluster with its own mock API server. */
    public ClusterSpec(String prefix, int nodes, int podsPerNode, String network, Path workDir) {
        this(prefix, nodes, podsPerNode, network, workDir, Optional.empty());
    }

    /** A cluster for one test: namespaces {@code wt-<pid>-c<n>-*}, a fresh temp directory. */
    public static ClusterSpec forTest(int nodes, int podsPerNode) {
        int n = SEQ.incrementAndGet();
        String prefix = "wt-" + ProcessHandle.current().pid() + "-c" + n + "-";
        try {
            Path dir = java.nio.file.Files.createTempDirectory("weft-e2e-c" + n + "-");
            return new ClusterSpec(prefix, nodes, podsPerNode, "10.42.0.0/16", dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * This cluster against the API server of {@code kubeconfig}, with {@link #EXTERNAL_NETWORK}
     * as Pod CIDR; {@link #withNetwork} after this overrides it.
     */
    public ClusterSpec withExternalApi(Path kubeconfig) {
        return new ClusterSpec(prefix, nodes, podsPerNode, EXTERNAL_NETWORK, workDir,
                Optional.of(kubeconfig.toAbsolutePath().normalize()));
    }

    public ClusterSpec withNetwork(String cidr) {
        return new ClusterSpec(prefix, nodes, podsPerNode, cidr, workDir, kubeconfig, agentImage);
    }

    /**
     * Each node's agent runs from {@code image} with {@code podman run} in the node's network
     * namespace, exactly as deploy/weft.yaml's DaemonSet describes the pod (command, env, mounts,
     * capabilities, read-only root), its init containers installing the CNI plugins first. The
     * Network is the manifest's (its ConfigMap's net-conf.json) and must equal this spec's.
     */
    public ClusterSpec withAgentImage(String image) {
        return new ClusterSpec(prefix, nodes, podsPerNode, network, workDir, kubeconfig, Optional.of(image));
    }

    public boolean externalApi() {
        return kubeconfig.isPresent();
    }

    public String nsName(String role) {
        return prefix + role;
    }

    /**
     * The Kubernetes name of node {@code index}: {@code node<index>} on the cluster's own mock
     * server; in an existing cluster prefixed with this run's prefix ({@code wt-<pid>-c<n>-node1},
     * {@code weft-node1}), a DNS-1123 name no real node is likely to have.
     */
    public String nodeName(int index) {
        return (externalApi() ? prefix : "") + "node" + index;
    }

    /** This run's id, the prefix without its trailing dashes: a valid label value and DNS label. */
    public String runId() {
        return prefix.replaceAll("-+$", "");
    }
}
