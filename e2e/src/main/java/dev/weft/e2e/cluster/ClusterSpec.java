package dev.weft.e2e.cluster;

import java.nio.file.Path;
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
 */
public record ClusterSpec(String prefix, int nodes, int podsPerNode, String network, Path workDir) {
    private static final AtomicInteger SEQ = new AtomicInteger();

    public ClusterSpec {
        if (!prefix.matches("[a-z0-9-]{1,24}")) {
            throw new IllegalArgumentException("bad namespace prefix: " + prefix);
        }
        if (nodes < 1 || nodes > 50 || podsPerNode < 0 || podsPerNode > 50) {
            throw new IllegalArgumentException("nodes must be 1..50 and pods per node 0..50");
        }
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

    public String nsName(String role) {
        return prefix + role;
    }
}
