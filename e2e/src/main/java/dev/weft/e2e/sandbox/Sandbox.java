package dev.weft.e2e.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.weft.e2e.cluster.Artifacts;
import dev.weft.e2e.cluster.Cluster;
import dev.weft.e2e.cluster.ClusterSpec;
import dev.weft.e2e.cluster.Connectivity;
import dev.weft.e2e.cluster.Node;
import dev.weft.e2e.cluster.Ns;
import dev.weft.e2e.cluster.Pod;
import dev.weft.testing.Cmd;
import dev.weft.testing.NetnsSweeper;

/**
 * weft's main demo: a local cluster of N nodes with M pods each, left running to explore.
 * {@code up [--nodes N] [--pods M]} builds it and prints connectivity and {@code weft status};
 * {@code down} stops every process it started and removes every {@code weft-*} namespace.
 */
public final class Sandbox {
    static final String PREFIX = "weft-";

    private Sandbox() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Artifacts.locate().repo().resolve(".sandbox");
        String verb = args.length == 0 ? "up" : args[0];
        int code = switch (verb) {
            case "up" -> up(dir, intArg(args, "--nodes", 3), intArg(args, "--pods", 2));
            case "down" -> down(dir);
            default -> {
                System.err.println("usage: sandbox up [--nodes N] [--pods M] | sandbox down");
                yield 2;
            }
        };
        System.exit(code);
    }

    static int up(Path dir, int nodes, int pods) throws IOException {
        if (Files.exists(dir.resolve("state"))) {
            System.err.println("a sandbox is already running (" + dir + "); tear it down first: ./dev sandbox down");
            return 1;
        }
        System.out.printf("weft sandbox: %d nodes, %d pods each, API server = fabric8 mock server (CRUD mode)%n",
                nodes, pods);
        Cluster cluster = Cluster.start(new ClusterSpec(PREFIX, nodes, pods, "10.42.0.0/16", dir));
        saveState(dir, cluster);
        List<Pod> all = cluster.pods();
        System.out.println("\n== pod × pod ping");
        System.out.print(Connectivity.render(all, Connectivity.pingMatrix(all)));
        tcpCheck(cluster);
        for (Node n : cluster.nodes()) {
            System.out.println("\n== weft status on " + n.name() + " (namespace " + n.ns().name() + ")");
            Cmd.Result r = n.weft("status");
            System.out.print(r.stdout());
            System.out.print(r.stderr());
        }
        printTour(cluster);
        return 0;
    }

    private static void tcpCheck(Cluster cluster) throws IOException {
        List<Pod> all = cluster.pods();
        Pod server = all.getFirst();
        Pod client = all.stream().filter(p -> p.node() != server.node()).findFirst().orElse(all.getLast());
        String seen = Connectivity.tcpPeerSeenBy(server.ns(), server.ip(), client.ns(), 5201);
        System.out.printf("%n== TCP %s → %s:5201: connected; server saw source %s (%s)%n", client, server, seen,
                seen.equals(client.ip()) ? "the pod's own IP: no NAT between pods" : "NOT the pod IP");
    }

    private static void saveState(Path dir, Cluster cluster) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("pid " + cluster.api().process().pid());
        for (Node n : cluster.nodes()) {
            lines.add("pid " + n.agent().pid());
        }
        cluster.namespaces().forEach(ns -> lines.add("ns " + ns.name()));
        Files.write(dir.resolve("state"), lines);
    }

    private static void printTour(Cluster cluster) {
        Node n1 = cluster.node(1);
        Pod p = cluster.podsOn(n1).isEmpty() ? null : cluster.podsOn(n1).getFirst();
        String weft = Artifacts.locate().agentLauncher().toString();
        System.out.println("\n== explore (as root)");
        System.out.println("  ip netns list");
        System.out.println("  ip -n " + n1.ns().name() + " -d link show flannel.1");
        System.out.println("  bridge -n " + n1.ns().name() + " fdb show dev flannel.1");
        System.out.println("  ip -n " + n1.ns().name() + " neigh show dev flannel.1");
        System.out.println("  ip -n " + n1.ns().name() + " route");
        if (p != null) {
            System.out.println("  ip netns exec " + n1.ns().name() + " ethtool -S $(ip -n " + n1.ns().name()
                    + " -o link show master cni0 | awk -F'[:@ ]+' 'NR==1{print $2}')");
            System.out.println("  ip netns exec " + p.ns().name() + " ping -c 3 " + cluster.pods().getLast().ip());
        }
        System.out.println("  ip netns exec " + PREFIX + "ul tcpdump -ni br0 udp port 8472");
        Path d = cluster.spec().workDir();
        System.out.println("  ip netns exec " + n1.ns().name() + " " + weft + " doctor --node-name " + n1.name()
                + " --kubeconfig " + d.resolve("kubeconfig") + " --subnet-file " + n1.subnetEnv()
                + " --net-config-path " + d.resolve("net-conf.json") + " " + String.join(" ", n1.doctorArgs()));
        System.out.println("  logs: " + cluster.spec().workDir() + "/node*/agent.log, " + cluster.spec().workDir() + "/api.log");
        System.out.println("\ntear down with: ./dev sandbox down");
    }

    static int down(Path dir) throws IOException, InterruptedException {
        Path state = dir.resolve("state");
        List<String> lines = Files.exists(state) ? Files.readAllLines(state) : List.of();
        for (String l : lines) {
            if (l.startsWith("pid ")) {
                stop(Long.parseLong(l.substring(4).strip()));
            }
        }
        int removed = 0;
        for (String l : lines) {
            if (l.startsWith("ns ")) {
                new Ns(l.substring(3).strip()).delete();
                removed++;
            }
        }
        // Namespaces of a sandbox whose state file was lost still carry the sandbox prefix.
        if (Files.isDirectory(Ns.NETNS_DIR)) {
            try (var s = Files.list(Ns.NETNS_DIR)) {
                for (Path p : s.filter(p -> p.getFileName().toString().startsWith(PREFIX)).toList()) {
                    NetnsSweeper.delete(p.getFileName().toString());
                    removed++;
                }
            }
        }
        if (Files.exists(dir)) {
            try (var s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        System.out.println("weft sandbox: removed " + removed + " namespaces");
        return 0;
    }

    private static void stop(long pid) throws InterruptedException {
        var h = ProcessHandle.of(pid);
        // Only a process that is still ours: a pid from a stale state file may belong to something else now.
        if (h.isEmpty() || !h.get().info().commandLine().orElse("").contains("weft")) {
            return;
        }
        h.get().destroy();
        try {
            h.get().onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            h.get().destroyForcibly();
        }
    }

    private static int intArg(String[] args, String name, int dflt) {
        for (int i = 1; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                int v = Integer.parseInt(args[i + 1]);
                if (v < 1 || v > 20) {
                    throw new IllegalArgumentException(name + " must be 1..20, got " + v);
                }
                return v;
            }
        }
        return dflt;
    }
}
