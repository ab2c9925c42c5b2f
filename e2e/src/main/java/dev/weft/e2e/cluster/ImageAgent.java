package dev.weft.e2e.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.weft.app.FlagDef;
import dev.weft.app.Flags;
import dev.weft.e2e.pod.PodContext;
import dev.weft.e2e.pod.PodRunner;
import dev.weft.e2e.pod.PodTemplate;
import dev.weft.e2e.pod.PodTemplate.ContainerSpec;
import dev.weft.e2e.pod.PodVolumes;
import dev.weft.testing.Cmd;

/**
 * A node's agent as the DaemonSet's pod in the image under test ({@link ClusterSpec#agentImage()}).
 * The node's own file system is {@code <node dir>/host}: hostPath P of the manifest is
 * {@code host/P}, and the CNI plugins the harness runs as the node's container runtime see those
 * directories at their real paths ({@link #cniCommandPrefix()}).
 */
final class ImageAgent {
    static final String AGENT = "agent";
    private static final Duration INIT_TIMEOUT = Duration.ofSeconds(120);

    private final ImageSetup setup;
    private final Node node;
    private final PodRunner pod;
    private boolean created;

    ImageAgent(ImageSetup setup, Node node, String containerPrefix) {
        this.setup = setup;
        this.node = node;
        Path dir = node.dir();
        PodTemplate t = setup.template();
        PodContext ctx = new PodContext(node.name(), t.daemonSet() + "-" + node.name(), node.underlayIp(), node.ns().path(),
                dir.resolve("host"), dir.resolve("pod"), setup.apiServer(),
                t.mountServiceAccountToken() ? Optional.of(dir.resolve("pod/serviceaccount")) : Optional.empty(),
                setup.image(), containerPrefix, dir.resolve("logs"));
        this.pod = new PodRunner(setup.podman(), t, ctx);
    }

    /** The first call creates the pod (init containers included); later ones start the stopped agent again. */
    synchronized void start() throws IOException {
        if (created) {
            pod.restart(AGENT);
            return;
        }
        created = true;
        PodContext ctx = pod.context();
        if (ctx.serviceAccount().isPresent()) {
            PodVolumes.serviceAccount(ctx.serviceAccount().get(), setup.token(), setup.caPem(), pod.template().namespace());
        }
        Files.createDirectories(ctx.host(ImageSetup.RUNTIME_CNI_STATE_DIR));
        Files.createDirectories(scratch());
        pod.start(INIT_TIMEOUT);
    }

    /** podman stop (SIGTERM, then SIGKILL after the grace period); the agent's exit code. */
    synchronized int stop() {
        return created && pod.running(AGENT) ? pod.stop(AGENT) : 0;
    }

    boolean running() {
        return created && pod.running(AGENT);
    }

    long pid() {
        return pod.pid(AGENT);
    }

    /** Empty once every container of the pod passes its readinessProbe. */
    Optional<String> notReady() {
        for (ContainerSpec c : pod.template().containers()) {
            Optional<String> why = pod.notReady(c.name());
            if (why.isPresent()) {
                return Optional.of(c.name() + ": " + why.get());
            }
        }
        return Optional.empty();
    }

    Path subnetEnv() {
        return pod.nodePathOf(AGENT, agentFlag(Flags.SUBNET_FILE).orElse("/run/flannel/subnet.env"));
    }

    Path netConf() {
        return pod.nodePathOf(AGENT, agentFlag(Flags.NET_CONFIG_PATH).orElseThrow(
                () -> new IllegalStateException("the manifest's agent has no --net-config-path")));
    }

    Path agentLog() {
        return pod.context().log(AGENT);
    }

    Path cniConfDir() {
        return pod.context().host(ImageSetup.RUNTIME_CNI_CONF_DIR);
    }

    /**
     * Prefix of every CNI plugin exec: a private mount namespace in which the node's directories
     * that the pod writes to (hostPath volumes mounted read-write) and the runtime's CNI state
     * directory are at their real paths, so the plugin the init containers installed runs as on a
     * real node (its launcher names /opt/weft; the conflist's defaults name /run/flannel, /var/lib/cni).
     */
    List<String> cniCommandPrefix() {
        Set<String> paths = new LinkedHashSet<>();
        PodTemplate t = pod.template();
        for (ContainerSpec c : allContainers(t)) {
            for (PodTemplate.Mount m : c.mounts()) {
                if (!m.readOnly() && t.volumes().get(m.volume()) instanceof PodTemplate.HostPathVolume h) {
                    paths.add(h.path());
                }
            }
        }
        paths.add(ImageSetup.RUNTIME_CNI_STATE_DIR);
        List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "sh",
                setup.hostViewScript().toString(), pod.context().hostRoot().toString(), scratch().toString()));
        cmd.addAll(paths);
        cmd.add("--");
        return cmd;
    }

    /** {@code weft <command>} in the agent container, with the agent's flags that the command takes. */
    Cmd.Result weft(String command, String... args) {
        return pod.exec(AGENT, Duration.ofSeconds(60), weftArgs(command, args));
    }

    /** The same as a shell line for people: {@code podman exec <agent container> weft ...}. */
    List<String> weftCommandLine(String command, String... args) {
        List<String> line = new ArrayList<>(List.of("podman", "exec", pod.context().containerName(AGENT)));
        line.addAll(weftArgs(command, args));
        return line;
    }

    private List<String> weftArgs(String command, String... args) {
        List<FlagDef> accepted = switch (command) {
            case "status" -> Flags.STATUS;
            case "doctor" -> Flags.DOCTOR;
            case "cleanup" -> Flags.CLEANUP;
            default -> List.of();
        };
        ContainerSpec agent = pod.template().container(AGENT);
        List<String> cmd = new ArrayList<>(agent.command());
        cmd.add(command);
        for (String a : agent.args()) {
            String flag = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (accepted.stream().anyMatch(f -> f.names().contains(flag))) {
                cmd.add(a);
            }
        }
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The containers' names as podman knows them. */
    List<String> containerNames() {
        return allContainers(pod.template()).stream().map(c -> pod.context().containerName(c.name())).toList();
    }

    private Optional<String> agentFlag(FlagDef flag) {
        List<String> args = pod.template().container(AGENT).args();
        for (int i = 0; i < args.size(); i++) {
            for (String name : flag.names()) {
                if (args.get(i).startsWith(name + "=")) {
                    return Optional.of(args.get(i).substring(name.length() + 1));
                }
                if (args.get(i).equals(name) && i + 1 < args.size()) {
                    return Optional.of(args.get(i + 1));
                }
            }
        }
        return Optional.empty();
    }

    private Path scratch() {
        return node.dir().resolve(".host-view");
    }

    private static List<ContainerSpec> allContainers(PodTemplate t) {
        List<ContainerSpec> all = new ArrayList<>(t.initContainers());
        all.addAll(t.containers());
        return all;
    }

    void close() {
        pod.close();
    }
}
