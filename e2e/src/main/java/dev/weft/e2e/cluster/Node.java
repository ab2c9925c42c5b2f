package dev.weft.e2e.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.weft.testing.Cmd;

/**
 * One node: a namespace on the underlay running a real {@code weft agent} JVM, with its own
 * subnet.env, CNI conflist, shim state and host-local data under its directory.
 */
public final class Node {
    public static final int HEALTH_PORT = 9471;
    /** Where the agents keep their subnet lock Leases. */
    public static final String LEASE_NAMESPACE = "kube-system";

    private final int index;
    private final String name;
    private final Ns ns;
    private final Path dir;
    private final ClusterContext ctx;
    private final List<String> extraAgentArgs = new ArrayList<>();
    private Process agent;

    Node(int index, String name, Ns ns, Path dir, ClusterContext ctx) {
        this.index = index;
        this.name = name;
        this.ns = ns;
        this.dir = dir;
        this.ctx = ctx;
    }

    public int index() {
        return index;
    }

    /** The Kubernetes node name ({@link ClusterSpec#nodeName}). */
    public String name() {
        return name;
    }

    public Ns ns() {
        return ns;
    }

    public Path dir() {
        return dir;
    }

    public String underlayIp() {
        return Underlay.nodeIp(index);
    }

    public Path subnetEnv() {
        return dir.resolve("subnet.env");
    }

    public Path agentLog() {
        return dir.resolve("agent.log");
    }

    /** Extra flags for every later agent start (e.g. {@code --ip-masq}). */
    public Node withAgentArgs(String... args) {
        extraAgentArgs.addAll(List.of(args));
        return this;
    }

    /** The full command line that starts this node's agent. */
    public List<String> agentCommand() {
        List<String> cmd = new ArrayList<>(List.of(ctx.artifacts().agentLauncher().toString(), "agent",
                "--node-name", name(),
                "--kubeconfig", ctx.kubeconfig().toString(),
                "--subnet-file", subnetEnv().toString(),
                "--net-config-path", ctx.netConf().toString(),
                "--healthz-ip", "127.0.0.1",
                "--healthz-port", String.valueOf(HEALTH_PORT),
                "--lease-namespace", LEASE_NAMESPACE,
                // As kube-flannel runs flanneld: weft masquerades pod→outside itself, so the bridge plugin does not
                // masquerade pod→pod across nodes.
                "--ip-masq"));
        cmd.addAll(annotationArgs());
        cmd.addAll(extraAgentArgs);
        return cmd;
    }

    /** Starts the agent; returns immediately. */
    public synchronized Process startAgent() throws IOException {
        if (agent != null && agent.isAlive()) {
            throw new IllegalStateException(name() + ": agent already running (pid " + agent.pid() + ")");
        }
        Files.writeString(agentLog(), "---- agent start " + Instant.now() + "\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        agent = ns.spawn(agentCommand(), Map.of(), agentLog());
        return agent;
    }

    /** SIGTERM, as the kubelet stops a pod; returns the exit code. */
    public synchronized int stopAgent(Duration grace) throws InterruptedException {
        if (agent == null) {
            return 0;
        }
        agent.destroy();
        int code;
        if (agent.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            code = agent.exitValue();
        } else {
            agent.destroyForcibly();
            agent.waitFor(5, TimeUnit.SECONDS);
            code = -9;
        }
        agent = null;
        return code;
    }

    public synchronized Process agent() {
        return agent;
    }

    /** Waits until {@code /readyz} answers 200. */
    public void awaitReady(Duration timeout) throws IOException {
        Instant deadline = Instant.now().plus(timeout);
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            Process p = agent();
            if (p != null && !p.isAlive()) {
                throw new IOException(name() + ": agent exited with " + p.exitValue() + "\n" + tail(agentLog()));
            }
            try {
                NsSockets.HttpReply r = http("/readyz");
                if (r.status() == 200) {
                    installConflist();
                    return;
                }
                last = r.status() + " " + r.body().strip();
            } catch (IOException e) {
                last = e.getMessage();
            }
            ApiServer.pause(100);
        }
        throw new IOException(name() + ": not ready within " + timeout + " (" + last + ")\n" + tail(agentLog()));
    }

    /** The node's CNI conf dir, where the conflist goes once the agent is ready (as deploy/'s sidecar does). */
    public Path cniConfDir() {
        return dir.resolve("net.d");
    }

    private void installConflist() throws IOException {
        Files.createDirectories(cniConfDir());
        Path tmp = cniConfDir().resolve(".10-weft.conflist.tmp");
        Files.writeString(tmp, conflist());
        Files.move(tmp, cniConfDir().resolve("10-weft.conflist"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The flags {@code weft doctor} needs to check this node as its agent runs. */
    public List<String> doctorArgs() {
        return List.of("--ip-masq", "--cni-conf-dir", cniConfDir().toString());
    }

    private List<String> annotationArgs() {
        return ctx.annotationPrefix().map(p -> List.of("--annotation-prefix", p)).orElse(List.of());
    }

    /** GET on the agent's health/metrics port from inside the node. */
    public NsSockets.HttpReply http(String path) throws IOException {
        return NsSockets.get(ns.name(), "127.0.0.1", HEALTH_PORT, path, Duration.ofSeconds(2));
    }

    /** Runs {@code weft <args>} inside the node with this node's settings (status, doctor, cleanup). */
    public Cmd.Result weft(String command, String... args) {
        return ns.exec(Duration.ofSeconds(60), null, Map.of(), weftCommand(command, args));
    }

    /** The command line {@link #weft} runs inside the node. */
    public List<String> weftCommand(String command, String... args) {
        List<String> cmd = new ArrayList<>(List.of(ctx.artifacts().agentLauncher().toString(), command));
        if (!command.equals("cleanup")) { // cleanup works from the kernel and files alone: no API flags
            cmd.addAll(List.of("--node-name", name(), "--kubeconfig", ctx.kubeconfig().toString()));
        }
        cmd.addAll(List.of("--subnet-file", subnetEnv().toString(), "--net-config-path", ctx.netConf().toString()));
        // Only status and doctor read annotations (and only they accept the flag).
        if (command.equals("status") || command.equals("doctor")) {
            cmd.addAll(annotationArgs());
        }
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The CNI runtime of this node, with its own conflist. */
    public CniRuntime cni() throws IOException {
        return new CniRuntime(ns, ctx.cniBinDir(), conflist());
    }

    /**
     * loopback → weft → portmap, as deploy/ installs it (the delegate gives pods a default route via
     * the bridge, as flannel's stock conflist does); state and IPAM data kept under this node's directory.
     */
    public String conflist() {
        return """
                {"cniVersion":"1.0.0","name":"weft","plugins":[
                  {"type":"loopback"},
                  {"type":"weft","subnetFile":"%s","dataDir":"%s","ipam":{"dataDir":"%s"},
                   "delegate":{"hairpinMode":true,"isDefaultGateway":true}},
                  {"type":"portmap","capabilities":{"portMappings":true}}]}
                """.formatted(subnetEnv(), dir.resolve("cni-state"), dir.resolve("ipam"));
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
