package dev.weft.e2e.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.weft.e2e.cluster.Artifacts;
import dev.weft.e2e.cluster.Cluster;
import dev.weft.e2e.cluster.ClusterSpec;
import dev.weft.e2e.cluster.Connectivity;
import dev.weft.e2e.cluster.ExternalApi;
import dev.weft.e2e.cluster.Node;
import dev.weft.e2e.cluster.Ns;
import dev.weft.e2e.cluster.Pod;
import dev.weft.e2e.pod.ImageBuild;
import dev.weft.e2e.pod.PodmanCli;
import dev.weft.testing.Cmd;
import dev.weft.testing.NetnsSweeper;

/**
 * weft's main demo: a local cluster of N nodes with M pods each, left running to explore.
 * {@code up [--nodes N] [--pods M]} builds it and prints connectivity and {@code weft status};
 * {@code down} stops every process it started and removes every {@code weft-*} namespace.
 *
 * <p>{@code --dual-stack} adds an IPv6 pod network ({@value #IPV6_NETWORK}) over an IPv6 underlay;
 * {@code --ipv6-only} runs that IPv6 network alone ({@code EnableIPv4: false}, no IPv4 pod network);
 * {@code --backend host-gw} runs flannel's host-gw backend instead of vxlan. {@code --image} builds the
 * shipped image (deploy/image/build.sh) and runs every node's agent from it, as deploy/weft.yaml's
 * DaemonSet pod, with {@code podman run} in the node's namespace.
 *
 * <p>{@code up --kubeconfig FILE [--network CIDR]} uses that cluster's API server instead of the
 * mock server ({@link ExternalApi}). The agents reach it through forwarders in this process, so
 * {@code up} then stays in the foreground until Ctrl-C or {@code down} (SIGTERM), and on the way
 * out removes its Nodes from that cluster along with everything else.
 */
public final class Sandbox {
    static final String PREFIX = "weft-";
    private static final String USAGE =
            "usage: sandbox up [--nodes N] [--pods M] [--dual-stack | --ipv6-only] [--backend vxlan|host-gw] [--kubeconfig FILE [--network CIDR]]"
                    + " [--image]"
                    + " | sandbox down";
    /** The sandbox's IPv6 pod network with {@code --dual-stack} or {@code --ipv6-only}: a ULA, never routed anywhere. */
    static final String IPV6_NETWORK = "fd42:42::/48";
    private static final Set<String> UP_FLAGS = Set.of("--nodes", "--pods", "--kubeconfig", "--network", "--backend");
    private static final Set<String> UP_SWITCHES = Set.of("--dual-stack", "--ipv6-only", "--image");
    /** The image {@code --image} builds (deploy/image/build.sh) and every node's agent then runs. */
    static final String IMAGE_TAG = "localhost/weft:sandbox";

    private Sandbox() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Artifacts.locate().repo().resolve(".sandbox");
        String verb = args.length == 0 ? "up" : args[0];
        int code = switch (verb) {
            case "up" -> {
                String bad = unknownFlag(args);
                if (bad != null) {
                    System.err.println("unknown option " + bad + "\n" + USAGE);
                    yield 2;
                }
                ClusterSpec spec = new ClusterSpec(PREFIX, intArg(args, "--nodes", 3), intArg(args, "--pods", 2),
                        "10.42.0.0/16", dir);
                Optional<String> kubeconfig = arg(args, "--kubeconfig");
                if (kubeconfig.isPresent()) {
                    spec = spec.withExternalApi(Path.of(kubeconfig.get()));
                }
                Optional<String> network = arg(args, "--network");
                if (network.isPresent()) {
                    spec = spec.withNetwork(network.get());
                }
                String backend = arg(args, "--backend").orElse("vxlan");
                if (!backend.equals("vxlan") && !backend.equals("host-gw")) {
                    System.err.println("--backend must be vxlan or host-gw, got " + backend + "\n" + USAGE);
                    yield 2;
                }
                boolean ipv6Only = Arrays.asList(args).contains("--ipv6-only");
                boolean dual = Arrays.asList(args).contains("--dual-stack");
                if (ipv6Only && (dual || kubeconfig.isPresent() || network.isPresent())) {
                    System.err.println("--ipv6-only has no IPv4 pod network: it does not combine with --dual-stack, --kubeconfig"
                            + " or --network\n" + USAGE);
                    yield 2;
                }
                Optional<String> ipv6 = dual || ipv6Only ? Optional.of(IPV6_NETWORK) : Optional.empty();
                if (Arrays.asList(args).contains("--image")) {
                    if (ipv6.isPresent() || !backend.equals("vxlan") || kubeconfig.isPresent() || network.isPresent()) {
                        System.err.println("--image runs deploy/weft.yaml as it is (vxlan, its Network, the mock API server):"
                                + " it does not combine with --dual-stack, --ipv6-only, --backend, --kubeconfig or --network\n" + USAGE);
                        yield 2;
                    }
                    System.out.println("weft sandbox: building " + IMAGE_TAG + " (deploy/image/build.sh) ...");
                    ImageBuild.build(Artifacts.locate().repo(), IMAGE_TAG, dir.resolve("image-build.log"));
                    spec = spec.withAgentImage(IMAGE_TAG);
                }
                yield up(spec, "{\"Type\":\"" + backend + "\"}", ipv6, ipv6Only);
            }
            case "down" -> down(dir);
            default -> {
                System.err.println(USAGE);
                yield 2;
            }
        };
        System.exit(code);
    }

    static int up(ClusterSpec spec, String backendJson, Optional<String> ipv6Network, boolean ipv6Only)
            throws IOException, InterruptedException {
        Path dir = spec.workDir();
        if (Files.exists(dir.resolve("state"))) {
            System.err.println("a sandbox is already running (" + dir + "); tear it down first: ./dev sandbox down");
            return 1;
        }
        if (spec.externalApi()) {
            // Written before anything exists in that cluster, so `down` can find it even if this process dies early.
            Files.createDirectories(dir);
            Files.write(dir.resolve("state"), List.of("fg " + ProcessHandle.current().pid(),
                    "kubeconfig " + spec.kubeconfig().orElseThrow(), "run " + spec.runId()));
        }
        System.out.printf("weft sandbox: %d nodes, %d pods each, Network %s%s, Backend %s, API server = %s%n", spec.nodes(),
                spec.podsPerNode(), ipv6Only ? "none (EnableIPv4 false)" : spec.network(),
                ipv6Network.map(n -> " and IPv6Network " + n).orElse(""), backendJson,
                spec.kubeconfig().map(k -> "the one of " + k).orElse("fabric8 mock server (CRUD mode)"));
        Cluster cluster = ipv6Only ? Cluster.startIpv6Only(spec, backendJson, ipv6Network.orElseThrow())
                : Cluster.start(spec, backendJson, ipv6Network);
        if (spec.externalApi()) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> detach(cluster), "sandbox-teardown"));
        }
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
        if (cluster.externalApi().isEmpty()) {
            System.out.println("\ntear down with: ./dev sandbox down");
            return 0;
        }
        ExternalApi api = cluster.externalApi().get();
        System.out.println("\n== attached to " + api.server() + ": the agents reach it through this process.");
        System.out.println("Leave it running. Ctrl-C here, or ./dev sandbox down in another shell, removes the nodes "
                + "labelled " + ExternalApi.RUN_LABEL + "=" + api.runId() + " from that cluster and tears everything down.");
        new CountDownLatch(1).await(); // until a signal runs the shutdown hook
        return 0;
    }

    private static void detach(Cluster cluster) {
        System.out.println("\nweft sandbox: removing its nodes from the cluster and tearing down ...");
        cluster.close();
        System.out.println("weft sandbox: done");
    }

    private static void tcpCheck(Cluster cluster) throws IOException {
        List<Pod> all = cluster.pods();
        Pod server = all.getFirst();
        Pod client = all.stream().filter(p -> p.node() != server.node()).findFirst().orElse(all.getLast());
        String seen = Connectivity.tcpPeerSeenBy(server.ns(), server.ip(), client.ns(), 5201);
        System.out.printf("%n== TCP %s → %s:5201: connected; server saw source %s (%s)%n", client, server,
                dev.weft.net.IpAddresses.format(java.net.InetAddress.ofLiteral(seen)),
                java.net.InetAddress.ofLiteral(seen).equals(java.net.InetAddress.ofLiteral(client.ip()))
                        ? "the pod's own IP: no NAT between pods" : "NOT the pod IP");
    }

    private static void saveState(Path dir, Cluster cluster) throws IOException {
        Path state = dir.resolve("state");
        List<String> lines = new ArrayList<>(Files.exists(state) ? Files.readAllLines(state) : List.of());
        if (cluster.externalApi().isEmpty()) {
            lines.add("pid " + cluster.api().process().pid());
        }
        for (Node n : cluster.nodes()) {
            lines.add("pid " + n.agentPid());
        }
        cluster.namespaces().forEach(ns -> lines.add("ns " + ns.name()));
        Files.write(state, lines);
    }

    private static void printTour(Cluster cluster) {
        Node n1 = cluster.node(1);
        Pod p = cluster.podsOn(n1).isEmpty() ? null : cluster.podsOn(n1).getFirst();
        System.out.println("\n== explore (as root)");
        System.out.println("  ip netns list");
        String dev = cluster.ipv6Only() ? "flannel-v6.1" : "flannel.1";
        System.out.println("  ip -n " + n1.ns().name() + " -d link show " + dev);
        System.out.println("  bridge -n " + n1.ns().name() + " fdb show dev " + dev);
        System.out.println("  ip -n " + n1.ns().name() + " neigh show dev " + dev);
        System.out.println("  ip -n " + n1.ns().name() + (cluster.ipv6Only() ? " -6" : "") + " route");
        if (p != null) {
            System.out.println("  ip netns exec " + n1.ns().name() + " ethtool -S $(ip -n " + n1.ns().name()
                    + " -o link show master cni0 | awk -F'[:@ ]+' 'NR==1{print $2}')");
            System.out.println("  ip netns exec " + p.ns().name() + " ping -c 3 " + cluster.pods().getLast().ip());
        }
        System.out.println("  ip netns exec " + PREFIX + "ul tcpdump -ni br0 udp port 8472");
        String doctor = String.join(" ", n1.weftCommand("doctor", n1.doctorArgs().toArray(String[]::new)));
        if (n1.fromImage()) {
            // podman exec joins the container's namespaces itself; it needs the repository's podman settings.
            PodmanCli podman = PodmanCli.forRepo(Artifacts.locate().repo());
            StringBuilder env = new StringBuilder();
            podman.env().forEach((k, v) -> env.append(k).append('=').append(v).append(' '));
            System.out.println("  " + env + doctor);
        } else {
            System.out.println("  ip netns exec " + n1.ns().name() + " " + doctor);
        }
        cluster.externalApi().ifPresent(api -> System.out.println("  kubectl --kubeconfig " + api.kubeconfig()
                + " get nodes -l " + ExternalApi.RUN_LABEL + "=" + api.runId() + " -o wide"));
        Path d = cluster.spec().workDir();
        System.out.println("  logs: " + d + "/node*/agent.log" + (cluster.externalApi().isEmpty() ? ", " + d + "/api.log" : ""));
    }

    static int down(Path dir) throws IOException, InterruptedException {
        Path state = dir.resolve("state");
        List<String> lines = Files.exists(state) ? Files.readAllLines(state) : List.of();
        // An attached sandbox first: its shutdown hook removes its Nodes from the cluster and everything else.
        for (String l : lines) {
            if (l.startsWith("fg ")) {
                stop(Long.parseLong(l.substring(3).strip()), 60);
            }
        }
        for (String l : lines) {
            if (l.startsWith("pid ")) {
                stop(Long.parseLong(l.substring(4).strip()), 10);
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
        removeContainers();
        removeLeftoverNodes(lines);
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

    /** The agent pods' containers of a sandbox started with --image (names carry the sandbox prefix). */
    private static void removeContainers() {
        if (!commandExists("podman")) {
            return;
        }
        PodmanCli podman = PodmanCli.forRepo(Artifacts.locate().repo());
        Cmd.Result r = podman.exec(java.time.Duration.ofSeconds(30), "ps", "--all", "--format", "{{.Names}}");
        if (!r.ok()) {
            return;
        }
        List<String> names = r.stdout().lines().map(String::strip).filter(n -> n.startsWith(PREFIX)).toList();
        for (String name : names) {
            podman.exec(java.time.Duration.ofSeconds(30), "rm", "--force", "--time", "5", name);
        }
        if (!names.isEmpty()) {
            System.out.println("weft sandbox: removed " + names.size() + " containers");
        }
    }

    private static boolean commandExists(String name) {
        return java.util.stream.Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, name)));
    }

    /** Nodes an attached sandbox could not remove itself (killed with SIGKILL, say). */
    private static void removeLeftoverNodes(List<String> lines) {
        Optional<String> kubeconfig = stateValue(lines, "kubeconfig");
        Optional<String> run = stateValue(lines, "run");
        if (kubeconfig.isEmpty() || run.isEmpty()) {
            return;
        }
        try {
            int n = ExternalApi.removeLeftovers(Path.of(kubeconfig.get()), run.get());
            if (n > 0) {
                System.out.println("weft sandbox: removed " + n + " leftover nodes from the cluster of " + kubeconfig.get());
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("weft sandbox: could not check " + kubeconfig.get() + " for leftover nodes (" + e.getMessage()
                    + "); remove them with: kubectl delete node -l " + ExternalApi.RUN_LABEL + "=" + run.get());
        }
    }

    private static Optional<String> stateValue(List<String> lines, String key) {
        return lines.stream().filter(l -> l.startsWith(key + " ")).map(l -> l.substring(key.length() + 1).strip())
                .findFirst();
    }

    private static void stop(long pid, int graceSeconds) throws InterruptedException {
        var h = ProcessHandle.of(pid);
        // Only a process that is still ours: a pid from a stale state file may belong to something else now.
        if (h.isEmpty() || !h.get().info().commandLine().orElse("").contains("weft")) {
            return;
        }
        h.get().destroy();
        try {
            h.get().onExit().get(graceSeconds, TimeUnit.SECONDS);
        } catch (Exception e) {
            h.get().destroyForcibly();
        }
    }

    private static int intArg(String[] args, String name, int dflt) {
        Optional<String> s = arg(args, name);
        if (s.isEmpty()) {
            return dflt;
        }
        int v = Integer.parseInt(s.get());
        if (v < 1 || v > 20) {
            throw new IllegalArgumentException(name + " must be 1..20, got " + v);
        }
        return v;
    }

    private static Optional<String> arg(String[] args, String name) {
        for (int i = 1; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return Optional.of(args[i + 1]);
            }
        }
        return Optional.empty();
    }

    /** The first argument after the verb that is neither a switch nor a known flag followed by its value, or null. */
    private static String unknownFlag(String[] args) {
        for (int i = 1; i < args.length; i++) {
            if (UP_SWITCHES.contains(args[i])) {
                continue;
            }
            if (!UP_FLAGS.contains(args[i]) || i + 1 >= args.length) {
                return args[i];
            }
            i++; // its value
        }
        return null;
    }
}
