package dev.weft.e2e.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    /** Present when the agent runs as the DaemonSet's pod in the image under test. */
    private final Optional<ImageAgent> image;
    private Process agent;

    Node(int index, String name, Ns ns, Path dir, ClusterContext ctx) {
        this.index = index;
        this.name = name;
        this.ns = ns;
        this.dir = dir;
        this.ctx = ctx;
        // Container names carry the namespace's wt-<pid>-… prefix, so leftovers are swept like namespaces.
        this.image = ctx.image().map(setup -> new ImageAgent(setup, this, ns.name() + "-"));
    }

    /** Whether the agent runs from the image ({@link ClusterSpec#agentImage()}) rather than the build tree. */
    public boolean fromImage() {
        return image.isPresent();
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
        return image.map(ImageAgent::subnetEnv).orElse(dir.resolve("subnet.env"));
    }

    /** The agent's log (with the image: podman's k8s-file log of the agent container). */
    public Path agentLog() {
        return image.map(ImageAgent::agentLog).orElse(dir.resolve("agent.log"));
    }

    /** Extra flags for every later agent start (e.g. {@code --ip-masq}). */
    public Node withAgentArgs(String... args) {
        if (image.isPresent()) {
            throw new IllegalStateException(name + ": the agent's flags come from the manifest when it runs from the image");
        }
        extraAgentArgs.addAll(List.of(args));
        return this;
    }

    /** The full command line that starts this node's agent. */
    public List<String> agentCommand() {
        if (image.isPresent()) {
            throw new IllegalStateException(name + ": the agent runs from the image, with the manifest's command line");
        }
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

    /**
     * Starts the agent; returns immediately. With the image, the first start creates the pod (its
     * init containers run to completion first) and later ones start the stopped agent container again.
     */
    public synchronized void startAgent() throws IOException {
        if (image.isPresent()) {
            image.get().start();
            return;
        }
        if (agent != null && agent.isAlive()) {
            throw new IllegalStateException(name() + ": agent already running (pid " + agent.pid() + ")");
        }
        Files.writeString(agentLog(), "---- agent start " + Instant.now() + "\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        agent = ns.spawn(agentCommand(), Map.of(), agentLog());
    }

    /**
     * SIGTERM, as the kubelet stops a pod; returns the exit code. With the image: podman stop, whose
     * grace period is the manifest's terminationGracePeriodSeconds.
     */
    public synchronized int stopAgent(Duration grace) throws InterruptedException {
        if (image.isPresent()) {
            return image.get().stop();
        }
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

    /** The build-tree agent's process. */
    public synchronized Process agent() {
        if (image.isPresent()) {
            throw new IllegalStateException(name + ": the agent runs in a container; see agentRunning() and agentPid()");
        }
        return agent;
    }

    public synchronized boolean agentRunning() {
        return image.map(ImageAgent::running).orElseGet(() -> agent != null && agent.isAlive());
    }

    /** The agent's pid as the machine sees it (the container's main process with the image). */
    public synchronized long agentPid() {
        return image.map(ImageAgent::pid).orElseGet(() -> agent.pid());
    }

    /** Removes the agent's containers (image only); {@link Cluster#close()} calls it. */
    void removeContainers() {
        image.ifPresent(ImageAgent::close);
    }

    /** Waits until {@code /readyz} answers 200. */
    public void awaitReady(Duration timeout) throws IOException {
        if (image.isPresent()) {
            awaitPodReady(timeout);
            return;
        }
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

    /** Every container's readinessProbe passes: the agent's /readyz, the sidecar's conflist check. */
    private void awaitPodReady(Duration timeout) throws IOException {
        Instant deadline = Instant.now().plus(timeout);
        Optional<String> why = image.get().notReady();
        while (why.isPresent() && Instant.now().isBefore(deadline)) {
            ApiServer.pause(200);
            why = image.get().notReady();
        }
        if (why.isPresent()) {
            throw new IOException(name() + ": pod not ready within " + timeout + " (" + why.get() + ")\n" + tail(agentLog()));
        }
    }

    /**
     * The node's CNI conf dir, where the conflist goes once the agent is ready (as deploy/'s sidecar
     * does; with the image, the sidecar itself writes it).
     */
    public Path cniConfDir() {
        return image.map(ImageAgent::cniConfDir).orElse(dir.resolve("net.d"));
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
        if (image.isPresent()) {
            return List.of(); // the agent's own flags are passed on by weft()
        }
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
        if (image.isPresent()) {
            return image.get().weft(command, args);
        }
        return ns.exec(Duration.ofSeconds(60), null, Map.of(), weftCommand(command, args));
    }

    /** The command line {@link #weft} runs inside the node. */
    public List<String> weftCommand(String command, String... args) {
        if (image.isPresent()) {
            return image.get().weftCommandLine(command, args);
        }
        List<String> cmd = new ArrayList<>(List.of(ctx.artifacts().agentLauncher().toString(), command,
                "--node-name", name(), "--kubeconfig", ctx.kubeconfig().toString(),
                "--subnet-file", subnetEnv().toString(), "--net-config-path", ctx.netConf().toString()));
        // Only status and doctor read annotations (and only they accept the flag).
        if (command.equals("status") || command.equals("doctor")) {
            cmd.addAll(annotationArgs());
        }
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The CNI runtime of this node, with its own conflist. */
    public CniRuntime cni() throws IOException {
        if (image.isPresent()) {
            return new CniRuntime(ns, Path.of(ImageSetup.RUNTIME_CNI_BIN_DIR), conflist(), image.get().cniCommandPrefix());
        }
        return new CniRuntime(ns, ctx.cniBinDir(), conflist());
    }

    /**
     * loopback → weft → portmap, as deploy/ installs it (the delegate gives pods a default route via
     * the bridge, as flannel's stock conflist does); state and IPAM data kept under this node's directory.
     */
    public String conflist() {
        if (image.isPresent()) {
            return installedConflist();
        }
        return """
                {"cniVersion":"1.0.0","name":"weft","plugins":[
                  {"type":"loopback"},
                  {"type":"weft","subnetFile":"%s","dataDir":"%s","ipam":{"dataDir":"%s"},
                   "delegate":{"hairpinMode":true,"isDefaultGateway":true}},
                  {"type":"portmap","capabilities":{"portMappings":true}}]}
                """.formatted(subnetEnv(), dir.resolve("cni-state"), dir.resolve("ipam"));
    }

    /** The conflist the image's sidecar installed, the only one in the node's CNI conf dir. */
    private String installedConflist() {
        Path f = cniConfDir().resolve("10-weft.conflist");
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new IllegalStateException(name + ": no conflist installed at " + f + " (is the pod ready?)", e);
        }
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
