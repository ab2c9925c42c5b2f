package dev.weft.e2e.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import dev.weft.lease.ConfigException;
import dev.weft.lease.NetConf;
import dev.weft.lease.SubnetPool;
import dev.weft.testing.Cmd;

/**
 * An N-node weft cluster on one machine, all inside namespaces it creates: an underlay switch,
 * an API server host, nodes running real agents, pods wired through the installed shim, and
 * optionally an "outside" host on the underlay. With {@link ClusterSpec#kubeconfig()} the API
 * part is an existing cluster's ({@link ExternalApi}) and there is no API server host.
 * {@link #close()} removes everything it made, Node objects in an existing cluster included.
 */
public final class Cluster implements AutoCloseable {
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    /** The net-conf.json Backend of a plain cluster. */
    public static final String VXLAN_BACKEND = "{\"Type\":\"vxlan\"}";

    private final ClusterSpec spec;
    private final Artifacts artifacts;
    private final String backendJson;
    private final Optional<String> ipv6Network;
    private final boolean ipv6Only;
    private final List<Ns> namespaces = Collections.synchronizedList(new ArrayList<>());
    private final Map<Integer, Node> nodes = new ConcurrentHashMap<>();
    private final List<Pod> pods = Collections.synchronizedList(new ArrayList<>());
    private Underlay underlay;
    private ApiServer api;
    private ExternalApi external;
    private ClusterContext ctx;

    private Cluster(ClusterSpec spec, Artifacts artifacts, String backendJson, Optional<String> ipv6Network, boolean ipv6Only) {
        this.spec = spec;
        this.artifacts = artifacts;
        this.backendJson = backendJson;
        this.ipv6Network = ipv6Network;
        this.ipv6Only = ipv6Only;
        if (ipv6Only && ipv6Network.isEmpty()) {
            throw new IllegalArgumentException("an IPv6-only cluster needs an IPv6Network");
        }
    }

    /** Builds the whole cluster of {@code spec} and waits until every agent is ready and every pod wired. */
    public static Cluster start(ClusterSpec spec) throws IOException {
        return start(spec, VXLAN_BACKEND);
    }

    /**
     * As {@link #start(ClusterSpec)}, with {@code backendJson} as net-conf.json's Backend object, e.g.
     * {@code {"Type":"vxlan","DirectRouting":true}}.
     */
    public static Cluster start(ClusterSpec spec, String backendJson) throws IOException {
        return start(spec, backendJson, Optional.empty());
    }

    /**
     * A dual-stack cluster when {@code ipv6Network} is given: net-conf.json has {@code EnableIPv6}
     * and that {@code IPv6Network}, every host on the underlay also has an address of fd98:18::/64.
     */
    public static Cluster start(ClusterSpec spec, String backendJson, Optional<String> ipv6Network) throws IOException {
        return start(new Cluster(spec, Artifacts.locate(), backendJson, ipv6Network, false));
    }

    /**
     * An IPv6-only cluster: net-conf.json has {@code EnableIPv4: false}, {@code EnableIPv6} and
     * {@code ipv6Network} (no Network), so pods get only IPv6 addresses and the agents only the
     * IPv6 device. The underlay is dual-stack, as in {@link #start(ClusterSpec, String, Optional)}:
     * the agents select their interface by its IPv6 default route and tunnel over fd98:18::/64,
     * while the API server stays reachable on its IPv4 address (the control plane's family is
     * not the pod network's business).
     */
    public static Cluster startIpv6Only(ClusterSpec spec, String backendJson, String ipv6Network) throws IOException {
        return start(new Cluster(spec, Artifacts.locate(), backendJson, Optional.of(ipv6Network), true));
    }

    /** True for a cluster of {@link #startIpv6Only}. */
    public boolean ipv6Only() {
        return ipv6Only;
    }

    private static Cluster start(Cluster c) throws IOException {
        ClusterSpec spec = c.spec;
        try {
            c.buildInfrastructure();
            for (int i = 1; i <= spec.nodes(); i++) {
                c.addNode(i).startAgent();
            }
            for (Node n : c.nodes()) {
                n.awaitReady(READY_TIMEOUT);
            }
            for (Node n : c.nodes()) {
                for (int p = 1; p <= spec.podsPerNode(); p++) {
                    c.addPod(n, p);
                }
            }
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void buildInfrastructure() throws IOException {
        Files.createDirectories(spec.workDir());
        underlay = new Underlay(newNs("ul"));
        Path netConf = spec.workDir().resolve("net-conf.json");
        String v6 = ipv6Network.map(n -> "\"EnableIPv6\":true,\"IPv6Network\":\"" + n + "\",").orElse("");
        String v4 = ipv6Only ? "\"EnableIPv4\":false," : "\"Network\":\"" + spec.network() + "\",";
        Files.writeString(netConf, "{" + v4 + v6 + "\"Backend\":" + backendJson + "}\n");
        if (spec.kubeconfig().isPresent()) {
            external = ExternalApi.connect(spec.kubeconfig().get(), spec.runId());
            ctx = new ClusterContext(artifacts, external.kubeconfig(), netConf, installCni(),
                    Optional.of(external.annotationPrefix()));
            return;
        }
        Ns apiNs = newNs("api");
        underlay.attach(apiNs, "api", Underlay.API_IP);
        api = new ApiServer(apiNs, spec.workDir(), artifacts, spec.agentImage().isPresent());
        api.start();
        if (spec.agentImage().isPresent()) {
            ctx = new ClusterContext(artifacts, api.writeKubeconfig(), netConf, spec.workDir().resolve("cni-bin"),
                    Optional.empty(), Optional.of(imageSetup(spec.agentImage().get())));
            return;
        }
        ctx = new ClusterContext(artifacts, api.writeKubeconfig(), netConf, installCni(), Optional.empty());
    }

    /**
     * The DaemonSet of deploy/weft.yaml, its pods reaching the API over HTTPS with a service account
     * token, as in-cluster pods do; leftover containers of dead runs are removed first.
     */
    private ImageSetup imageSetup(String image) throws IOException {
        Path manifest = artifacts.repo().resolve("deploy/weft.yaml");
        var template = ImageSetup.readTemplate(manifest);
        String manifestNetwork = ImageNetConf.network(template, manifest);
        if (!manifestNetwork.equals(spec.network()) || !backendJson.equals(VXLAN_BACKEND) || ipv6Network.isPresent()) {
            throw new IllegalArgumentException("with an agent image, net-conf.json is the manifest's (" + manifest
                    + ": Network " + manifestNetwork + "); this cluster asks for Network " + spec.network()
                    + " and Backend " + backendJson);
        }
        var podman = dev.weft.e2e.pod.PodmanCli.forRepo(artifacts.repo());
        podman.sweepLeftovers();
        String token = "weft-e2e-" + java.util.UUID.randomUUID();
        return new ImageSetup(image, manifest, template, podman,
                java.util.Map.of("KUBERNETES_SERVICE_HOST", Underlay.API_IP, "KUBERNETES_SERVICE_PORT", String.valueOf(ApiServer.PORT)),
                token, Files.readString(api.caFile()), ImageSetup.writeHostViewScript(spec.workDir()));
    }

    /** Installs the shim bundle the way deploy/ does, plus the distribution's standard plugins. */
    private Path installCni() throws IOException {
        Path unpack = spec.workDir().resolve("cni-bundle");
        Path bin = spec.workDir().resolve("cni-bin");
        Files.createDirectories(unpack);
        Files.createDirectories(bin);
        Cmd.run("tar", "-xzf", artifacts.shimBundle().toString(), "-C", unpack.toString());
        Path install = findInstallScript(unpack);
        Cmd.run("sh", install.toString(), "--prefix", spec.workDir().resolve("opt").toString(),
                "--cni-bin-dir", bin.toString());
        for (String plugin : List.of("loopback", "bridge", "host-local", "portmap")) {
            Path src = Path.of("/usr/lib/cni", plugin);
            if (!Files.isExecutable(src)) {
                throw new IllegalStateException(src + " is missing: install containernetworking-plugins");
            }
            Files.createSymbolicLink(bin.resolve(plugin), src);
        }
        return bin;
    }

    private static Path findInstallScript(Path unpack) throws IOException {
        try (var s = Files.walk(unpack, 3)) {
            return s.filter(p -> p.getFileName().toString().equals("install.sh")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no install.sh in the shim bundle"));
        }
    }

    Ns newNs(String role) {
        Ns ns = Ns.create(spec.nsName(role));
        namespaces.add(ns);
        return ns;
    }

    /**
     * Creates node {@code index}: namespace, underlay port, Node object (as the kubelet would), and
     * with an existing cluster's API the forwarders its agent reaches that API through.
     */
    public Node addNode(int index) throws IOException {
        Ns ns = newNs("node" + index);
        underlay.attach(ns, "node" + index, Underlay.nodeIp(index), ipv6Network.map(n -> Underlay.nodeIpV6(index)).orElse(null));
        Path dir = spec.workDir().resolve("node" + index);
        Files.createDirectories(dir);
        Node node = new Node(index, spec.nodeName(index), ns, dir, ctx);
        if (external != null) {
            external.forwardInto(ns);
        }
        registerNodeObject(node);
        nodes.put(index, node);
        return node;
    }

    /**
     * Creates the Node object for {@code node}: on the mock server with its underlay address as
     * InternalIP; in an existing cluster as {@link ExternalApi#registerNode} describes.
     */
    public void registerNodeObject(Node node) throws IOException {
        if (external != null) {
            external.registerNode(node.name(), subnetPool());
            return;
        }
        client().nodes().resource(new NodeBuilder()
                .withNewMetadata().withName(node.name()).addToLabels("kubernetes.io/hostname", node.name()).endMetadata()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress(node.underlayIp()).endAddress()
                .endStatus().build()).create();
    }

    private SubnetPool subnetPool() throws IOException {
        try {
            return NetConf.parse(Files.readString(ctx.netConf()), warning -> { }).ipv4Pool()
                    .orElseThrow(() -> new IOException("an existing cluster's API is used with IPv4 clusters only"));
        } catch (ConfigException e) {
            throw new IOException("net-conf.json for Network " + spec.network() + ": " + e.getMessage(), e);
        }
    }

    /** Wires pod {@code index} on {@code node} through the CNI chain. */
    public Pod addPod(Node node, int index) throws IOException {
        String name = "node" + node.index() + "-pod" + index; // the namespace prefix tells runs apart, not the Node name
        Ns ns = newNs(name);
        CniRuntime.Outcome out = node.cni().add("e2e-" + ns.name(), ns.path(), "eth0");
        if (!out.ok()) {
            throw new IOException("CNI ADD for " + name + " failed in " + out.plugin() + ": " + out.stdout() + out.stderr());
        }
        Pod pod = new Pod(name, ns, node, ipv6Only ? CniRuntime.firstIpv6(out.result()) : CniRuntime.firstIpv4(out.result()),
                out.result());
        pods.add(pod);
        return pod;
    }

    /** Adds an "outside" host on the underlay at {@link Underlay#OUTSIDE_IP}. */
    public Ns addOutsideHost() {
        Ns ns = newNs("outside");
        underlay.attach(ns, "outside", Underlay.OUTSIDE_IP);
        return ns;
    }

    public KubernetesClient client() throws IOException {
        return external != null ? external.client() : api.client();
    }

    /** The mock API server process; there is none when the cluster uses an existing cluster's API. */
    public ApiServer api() {
        if (external != null) {
            throw new IllegalStateException("this cluster uses the API server of " + external.kubeconfig()
                    + "; there is no mock API server process");
        }
        return api;
    }

    /** The existing cluster's API, when {@link ClusterSpec#kubeconfig()} named one. */
    public Optional<ExternalApi> externalApi() {
        return Optional.ofNullable(external);
    }

    /** The kubeconfig the agents use. */
    public Path kubeconfig() {
        return ctx.kubeconfig();
    }

    public Underlay underlay() {
        return underlay;
    }

    public Node node(int index) {
        return nodes.get(index);
    }

    public List<Node> nodes() {
        return nodes.values().stream().sorted(java.util.Comparator.comparingInt(Node::index)).toList();
    }

    public List<Pod> pods() {
        return List.copyOf(pods);
    }

    public List<Pod> podsOn(Node node) {
        return pods().stream().filter(p -> p.node() == node).toList();
    }

    public List<Ns> namespaces() {
        return List.copyOf(namespaces);
    }

    public ClusterSpec spec() {
        return spec;
    }

    /** Stops every process and removes every namespace this cluster created, newest first. */
    @Override
    public void close() {
        // Each step on its own: a failure in one must never leave namespaces behind.
        for (Node n : nodes.values()) {
            try {
                if (n.fromImage()) {
                    n.removeContainers(); // SIGKILL at once: nothing to keep from a test's containers
                } else {
                    n.stopAgent(Duration.ofSeconds(5));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                System.err.println("stopping " + n + "'s agent: " + e);
            }
        }
        if (external != null) {
            try {
                external.close();
            } catch (RuntimeException e) {
                System.err.println("closing the connection to " + external.server() + ": " + e);
            }
        }
        if (api != null) {
            try {
                api.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                System.err.println("stopping the API server: " + e);
            }
        }
        List<Ns> all = new ArrayList<>(namespaces);
        Collections.reverse(all);
        all.forEach(Ns::delete);
        namespaces.clear();
        deleteWorkDir();
    }

    /** Logs go with the directory unless {@code weft.e2e.keep} asks to keep them for a post-mortem. */
    private void deleteWorkDir() {
        if (Boolean.getBoolean("weft.e2e.keep") || !Files.isDirectory(spec.workDir())) {
            return;
        }
        try (var walk = Files.walk(spec.workDir())) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("could not remove " + spec.workDir() + ": " + e.getMessage());
        }
    }
}
