package dev.weft.e2e.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import dev.weft.e2e.cluster.Artifacts;
import dev.weft.e2e.cluster.Node;
import dev.weft.e2e.cluster.Ns;
import dev.weft.e2e.cluster.NsForwarder;
import dev.weft.e2e.cluster.NsSockets;
import dev.weft.e2e.cluster.Underlay;

/**
 * One node's worth of the cluster harness, for the agent benches: an underlay switch, an API server
 * host running {@code ScaleApiServerMain} with {@code peers} simulated peer Nodes (plus
 * {@code joining} Nodes a kubelet registered that no flanneld has annotated yet), and one node
 * namespace where a real {@code weft agent} is started and stopped at will. Everything lives in
 * namespaces {@code wt-<pid>-b<n>-*}, removed by {@link #close()} whatever happened.
 */
final class AgentRig implements AutoCloseable {
    static final String NODE = "node1";
    static final String NODE_SUBNET = "10.0.1.0/24";
    static final String DEVICE = "flannel.1";
    static final int API_PORT = 6443;
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final Duration API_START = Duration.ofSeconds(120);
    private static final Pattern CONTINUE = Pattern.compile("\"continue\":\"([^\"]+)\"");

    private final Path dir;
    private final int peers;
    private final int joining;
    private final List<Ns> namespaces = Collections.synchronizedList(new ArrayList<>());
    private final Artifacts artifacts = Artifacts.locate();
    private Ns node;
    private Ns api;
    private Process apiServer;
    private Process agent;
    private NsForwarder forwarder;
    private KubernetesClient client;

    private AgentRig(Path dir, int peers, int joining) {
        this.dir = dir;
        this.peers = peers;
        this.joining = joining;
    }

    /** Builds the namespaces and starts the API server; the agent is not running yet. */
    static AgentRig start(int peers, int joining, PrintStream log) throws IOException {
        int n = SEQ.incrementAndGet();
        AgentRig rig = new AgentRig(Files.createTempDirectory("weft-bench-b" + n + "-"), peers, joining);
        try {
            rig.build("wt-" + ProcessHandle.current().pid() + "-b" + n + "-", log);
            return rig;
        } catch (IOException | RuntimeException e) {
            rig.close();
            throw e;
        }
    }

    private void build(String prefix, PrintStream log) throws IOException {
        Underlay underlay = new Underlay(newNs(prefix + "ul"));
        api = newNs(prefix + "api");
        node = newNs(prefix + "node1");
        underlay.attach(api, "api", Underlay.API_IP);
        underlay.attach(node, NODE, Underlay.nodeIp(1));
        List<String> state = new ArrayList<>();
        state.add(SimulatedNodes.selfNode(NODE, NODE_SUBNET, Underlay.nodeIp(1)));
        for (int i = peers; i < peers + joining; i++) {
            state.add(SimulatedNodes.json(i, false));
        }
        SimulatedNodes.writeStateFile(dir.resolve("api-state.json"), state);
        Files.writeString(dir.resolve("net-conf.json"),
                "{\"Network\":\"" + SimulatedNodes.NETWORK + "\",\"Backend\":{\"Type\":\"vxlan\"}}\n");
        Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: weft-bench
                  cluster: {server: "http://%s:%d"}
                users:
                - name: weft-bench
                  user: {}
                contexts:
                - name: weft-bench
                  context: {cluster: weft-bench, user: weft-bench}
                current-context: weft-bench
                """.formatted(Underlay.API_IP, API_PORT));
        long t0 = System.nanoTime();
        apiServer = api.spawn(List.of(Artifacts.javaBinary(), "-Xmx512m", "-XX:+UseSerialGC",
                "-cp", artifacts.e2eClasspath(), "dev.weft.e2e.api.ScaleApiServerMain",
                Underlay.API_IP, String.valueOf(API_PORT), dir.resolve("api-state.json").toString(),
                String.valueOf(peers)), Map.of(), dir.resolve("api.log"));
        awaitApi();
        log.printf(java.util.Locale.ROOT, "  API server with %d peers and %d joining Nodes up in %.1f s%n", peers, joining,
                (System.nanoTime() - t0) / 1e9);
    }

    private Ns newNs(String name) {
        Ns ns = Ns.create(name);
        namespaces.add(ns);
        return ns;
    }

    private void awaitApi() throws IOException {
        long deadline = System.nanoTime() + API_START.toNanos();
        Path log = dir.resolve("api.log");
        while (System.nanoTime() < deadline) {
            if (!apiServer.isAlive()) {
                throw new IOException("the bench API server exited with " + apiServer.exitValue() + ": "
                        + Files.readString(log));
            }
            if (Files.exists(log) && Files.readString(log).contains("scale-apiserver: listening")) {
                return;
            }
            sleep(50);
        }
        throw new IOException("the bench API server did not start within " + API_START + ": " + Files.readString(log));
    }

    int peers() {
        return peers;
    }

    Ns node() {
        return node;
    }

    /** The rig's directory: subnet.env, net-conf.json, kubeconfig, logs. */
    Path dir() {
        return dir;
    }

    /** The harness's client, through a loopback forwarder into the API namespace. */
    synchronized KubernetesClient client() throws IOException {
        if (client == null) {
            forwarder = new NsForwarder(api.name(), Underlay.API_IP, API_PORT);
            Config config = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + forwarder.localPort())
                    .withRequestTimeout(10_000).withConnectionTimeout(5_000).build();
            client = new KubernetesClientBuilder().withConfig(config).build();
        }
        return client;
    }

    /** How an agent is started. */
    enum Setup {
        /**
         * As in a pod: the client configured from the environment (there: the service account and
         * {@code KUBERNETES_SERVICE_HOST}; here {@code KUBERNETES_MASTER}, the bench API server
         * speaking plain HTTP), with the distribution's AOT cache.
         */
        POD("API address from the environment, AOT cache"),
        /** Given a kubeconfig file, as the cluster harness runs it: fabric8 then loads every model class it finds. */
        KUBECONFIG("--kubeconfig file"),
        /** As {@link #POD}, without the AOT cache ({@code WEFT_AOT=off}). */
        NO_AOT_CACHE("no AOT cache (WEFT_AOT=off)");

        private final String text;

        Setup(String text) {
            this.text = text;
        }

        String text() {
            return text;
        }
    }

    /**
     * The agent's command line, as the cluster harness runs it ({@link Node#agentCommand()}) but
     * for the kubeconfig flag; {@code -Dweft.bench.agent=<launcher>} measures another build.
     */
    List<String> agentCommand(Setup setup) {
        String launcher = System.getProperty("weft.bench.agent", artifacts.agentLauncher().toString());
        List<String> cmd = new ArrayList<>(List.of(launcher, "agent", "--node-name", NODE));
        if (setup == Setup.KUBECONFIG) {
            cmd.addAll(List.of("--kubeconfig", dir.resolve("kubeconfig").toString()));
        }
        cmd.addAll(List.of(
                "--subnet-file", dir.resolve("subnet.env").toString(),
                "--net-config-path", dir.resolve("net-conf.json").toString(),
                "--healthz-ip", "127.0.0.1",
                "--healthz-port", String.valueOf(Node.HEALTH_PORT),
                "--lease-namespace", "kube-system",
                "--ip-masq"));
        return cmd;
    }

    static Map<String, String> agentEnvironment(Setup setup) {
        Map<String, String> env = new java.util.HashMap<>();
        if (setup != Setup.KUBECONFIG) {
            env.put("KUBERNETES_MASTER", "http://" + Underlay.API_IP + ":" + API_PORT);
            env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
            env.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
        }
        env.put("WEFT_AOT", setup == Setup.NO_AOT_CACHE ? "off" : "on");
        return env;
    }

    /** The running agent, or null. */
    synchronized Process agent() {
        return agent;
    }

    /** Spawns the agent as in a pod; see {@link #startAgent(Setup)}. */
    Process startAgent() throws IOException {
        return startAgent(Setup.POD);
    }

    /** Spawns the agent; the process is the JVM itself (ip netns exec and the launcher both exec). */
    Process startAgent(Setup setup) throws IOException {
        return startAgent(setup, Map.of());
    }

    /** As {@link #startAgent(Setup)}, with {@code extraEnv} added to (and overriding) the set-up's environment. */
    synchronized Process startAgent(Setup setup, Map<String, String> extraEnv) throws IOException {
        if (agent != null && agent.isAlive()) {
            throw new IllegalStateException("agent already running");
        }
        Map<String, String> env = agentEnvironment(setup);
        env.putAll(extraEnv);
        agent = node.spawn(agentCommand(setup), env, dir.resolve("agent.log"));
        return agent;
    }

    /** SIGTERM, then SIGKILL after 10 s. */
    synchronized void stopAgent() throws InterruptedException {
        if (agent == null) {
            return;
        }
        agent.destroy();
        if (!agent.waitFor(10, TimeUnit.SECONDS)) {
            agent.destroyForcibly();
            agent.waitFor(5, TimeUnit.SECONDS);
        }
        agent = null;
    }

    /** Removes the VXLAN device (its neighbours, FDB entries and routes go with it): a fresh node's data plane. */
    void removeDevice() {
        if (node.exec(Duration.ofSeconds(10), "ip", "link", "show", DEVICE).ok()) {
            node.ip("link", "del", DEVICE);
        }
    }

    /** Bytes received on the node's underlay interface: everything the agent read from the API. */
    long underlayRxBytes() {
        var r = node.exec(Duration.ofSeconds(10), "cat", "/sys/class/net/eth0/statistics/rx_bytes");
        if (!r.ok()) {
            throw new IllegalStateException("cannot read eth0's rx_bytes in " + node.name() + ": " + r.stderr());
        }
        return Long.parseLong(r.stdout().strip());
    }

    /** GET on the agent's health/metrics port. */
    NsSockets.HttpReply agentHttp(String path) throws IOException {
        return NsSockets.get(node.name(), "127.0.0.1", Node.HEALTH_PORT, path, Duration.ofSeconds(2));
    }

    String agentLogTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("agent.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no agent log: " + e.getMessage() + ")";
        }
    }

    /**
     * The floor of reading the peers: the same paginated Node LIST the agent does (pages of 500),
     * by a plain HTTP client in the node namespace that only counts the bytes. Returns
     * {nanoseconds, body bytes}.
     */
    long[] plainList() throws IOException {
        long t0 = System.nanoTime();
        long bytes = 0;
        String cont = null;
        for (int page = 0; page < 1000; page++) {
            String path = "/api/v1/nodes?limit=500" + (cont == null ? "" : "&continue=" + cont);
            byte[] body = get(path);
            bytes += body.length;
            Matcher m = CONTINUE.matcher(new String(body, 0, Math.min(body.length, 400), StandardCharsets.US_ASCII));
            if (!m.find()) {
                return new long[] {System.nanoTime() - t0, bytes};
            }
            cont = m.group(1);
        }
        throw new IOException("the Node list did not end after 1000 pages");
    }

    private byte[] get(String path) throws IOException {
        try (Socket s = NsSockets.connect(node.name(), Underlay.API_IP, API_PORT, Duration.ofSeconds(30))) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: " + Underlay.API_IP + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] all = in.readAllBytes();
            int head = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            if (head < 0 || !new String(all, 0, Math.min(all.length, 16), StandardCharsets.US_ASCII).contains(" 200")) {
                throw new IOException("GET " + path + " failed: " + new String(all, 0, Math.min(all.length, 300),
                        StandardCharsets.UTF_8));
            }
            return java.util.Arrays.copyOfRange(all, head + 4, all.length);
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Stops the agent and the API server, removes every namespace and the work directory. */
    @Override
    public void close() {
        try {
            stopAgent();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            System.err.println("stopping the bench agent: " + e);
        }
        if (client != null) {
            client.close();
        }
        if (forwarder != null) {
            forwarder.close();
        }
        if (apiServer != null) {
            apiServer.destroy();
            try {
                if (!apiServer.waitFor(10, TimeUnit.SECONDS)) {
                    apiServer.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Ns> all = new ArrayList<>(namespaces);
        Collections.reverse(all);
        all.forEach(Ns::delete);
        if (!Boolean.getBoolean("weft.e2e.keep")) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                System.err.println("could not remove " + dir + ": " + e.getMessage());
            }
        }
    }
}
