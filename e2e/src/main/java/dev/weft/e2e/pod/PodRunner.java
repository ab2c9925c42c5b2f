package dev.weft.e2e.pod;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.weft.e2e.cluster.NsSockets;
import dev.weft.e2e.pod.PodTemplate.ContainerSpec;
import dev.weft.e2e.pod.PodTemplate.ExecProbe;
import dev.weft.e2e.pod.PodTemplate.HttpGetProbe;
import dev.weft.e2e.pod.PodTemplate.Mount;
import dev.weft.testing.Cmd;

/**
 * The DaemonSet's pod on one node, run with podman as a kubelet would run it: volumes made, init
 * containers one after the other to a zero exit, then the containers, detached. Every container
 * it creates is removed by {@link #close()}, whatever state it is in.
 */
public final class PodRunner implements AutoCloseable {
    private static final Duration PODMAN_TIMEOUT = Duration.ofSeconds(60);

    private final PodmanCli podman;
    private final PodTemplate template;
    private final PodContext ctx;
    private final Set<String> created = Collections.synchronizedSet(new LinkedHashSet<>());

    public PodRunner(PodmanCli podman, PodTemplate template, PodContext ctx) {
        this.podman = podman;
        this.template = template;
        this.ctx = ctx;
    }

    public PodTemplate template() {
        return template;
    }

    public PodContext context() {
        return ctx;
    }

    /** Volumes, init containers (each must exit 0 within {@code initTimeout}), then the containers. */
    public void start(Duration initTimeout) throws IOException {
        Files.createDirectories(ctx.logDir());
        PodVolumes.prepare(template, ctx);
        for (ContainerSpec c : template.initContainers()) {
            runInit(c, initTimeout);
        }
        for (ContainerSpec c : template.containers()) {
            created.add(ctx.containerName(c.name()));
            podman.run(PODMAN_TIMEOUT, ContainerCommand.run(template, c, ctx, true, runtimeOptions()).toArray(String[]::new));
        }
    }

    private void runInit(ContainerSpec c, Duration timeout) throws IOException {
        String name = ctx.containerName(c.name());
        created.add(name);
        Cmd.Result r = podman.exec(timeout, ContainerCommand.run(template, c, ctx, false, runtimeOptions()));
        if (!r.ok()) {
            throw new IOException("init container " + c.name() + " on " + ctx.nodeName() + " exited " + r.exitCode()
                    + ":\n" + r.stdout() + r.stderr());
        }
        podman.exec(PODMAN_TIMEOUT, "rm", "--force", name);
        created.remove(name);
    }

    /**
     * Limits a container runtime applies on its own (Kubernetes has no field for them): podman's
     * defaults (nofile 1048576, nproc 4194304) need CAP_SYS_RESOURCE to raise the limits it runs
     * under, which a container's host may not grant; as containerd does, the containers get the
     * limits their runtime has. podman lowers its own nproc to 32768 before it starts the runtime.
     */
    public static List<String> runtimeOptions() {
        long nofile = hardLimit("Max open files", 1_048_576);
        long nproc = Math.min(hardLimit("Max processes", 32_768), 32_768);
        return List.of("--ulimit", "nofile=" + nofile + ":" + nofile, "--ulimit", "nproc=" + nproc + ":" + nproc);
    }

    private static long hardLimit(String name, long fallback) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith(name)) {
                    String hard = line.substring(name.length()).trim().split("\\s+")[1];
                    return hard.equals("unlimited") ? fallback : Long.parseLong(hard);
                }
            }
        } catch (IOException | RuntimeException e) {
            return fallback;
        }
        return fallback;
    }

    /** SIGTERM, SIGKILL after the grace period, as the kubelet stops a container; returns its exit code. */
    public int stop(String container) {
        String name = ctx.containerName(container);
        podman.run(PODMAN_TIMEOUT, "stop", "--time", String.valueOf(template.terminationGracePeriodSeconds()), name);
        return Integer.parseInt(podman.run(PODMAN_TIMEOUT, "inspect", "--format", "{{.State.ExitCode}}", name).strip());
    }

    /** Starts a stopped container again, with the same spec (a kubelet restarting it). */
    public void restart(String container) {
        podman.run(PODMAN_TIMEOUT, "start", ctx.containerName(container));
    }

    public boolean running(String container) {
        Cmd.Result r = podman.exec(PODMAN_TIMEOUT, "inspect", "--format", "{{.State.Running}}", ctx.containerName(container));
        return r.ok() && r.stdout().strip().equals("true");
    }

    /** The container's main process as the machine sees it (0 when it is not running). */
    public long pid(String container) {
        return Long.parseLong(podman.run(PODMAN_TIMEOUT, "inspect", "--format", "{{.State.Pid}}",
                ctx.containerName(container)).strip());
    }

    /** {@code podman exec} in a running container. */
    public Cmd.Result exec(String container, Duration timeout, List<String> command) {
        List<String> args = new ArrayList<>(List.of("exec", ctx.containerName(container)));
        args.addAll(command);
        return podman.exec(timeout, args);
    }

    /** Empty when the container's readinessProbe passes (or it has none), else why not. */
    public Optional<String> notReady(String container) {
        ContainerSpec c = template.container(container);
        if (!running(container)) {
            return Optional.of(container + " is not running");
        }
        if (c.readiness().isEmpty()) {
            return Optional.empty();
        }
        return switch (c.readiness().get()) {
            case HttpGetProbe h -> httpProbe(h);
            case ExecProbe e -> {
                Cmd.Result r = exec(container, Duration.ofSeconds(10), e.command());
                yield r.ok() ? Optional.empty() : Optional.of("exec probe exited " + r.exitCode());
            }
        };
    }

    /** The kubelet probes a hostNetwork pod at the node's address. */
    private Optional<String> httpProbe(HttpGetProbe h) {
        try {
            NsSockets.HttpReply r = NsSockets.get(ctx.netns().getFileName().toString(), ctx.hostIp(), h.port(), h.path(),
                    Duration.ofSeconds(2));
            return r.status() >= 200 && r.status() < 400 ? Optional.empty() : Optional.of(r.status() + " " + r.body().strip());
        } catch (IOException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }

    /**
     * The node's file behind {@code containerPath} in {@code container}, through its mounts (e.g. the
     * agent's {@code /run/flannel/subnet.env} in the node's run-flannel hostPath).
     */
    public Path nodePathOf(String container, String containerPath) {
        ContainerSpec c = template.container(container);
        Mount best = null;
        for (Mount m : c.mounts()) {
            if ((containerPath.equals(m.mountPath()) || containerPath.startsWith(m.mountPath() + "/"))
                    && (best == null || m.mountPath().length() > best.mountPath().length())) {
                best = m;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException(containerPath + " is on no volume of container " + container);
        }
        Path root = ContainerCommand.source(template.volumes().get(best.volume()), ctx);
        String rest = containerPath.substring(best.mountPath().length());
        return rest.isEmpty() ? root : root.resolve(rest.substring(1));
    }

    /** Every container this pod created, removed whatever its state; problems reported, never thrown. */
    @Override
    public void close() {
        List<String> names = new ArrayList<>(created);
        Collections.reverse(names);
        for (String name : names) {
            Cmd.Result r = podman.exec(PODMAN_TIMEOUT, "rm", "--force", "--time", "0", name);
            if (!r.ok() && !r.stderr().contains("no such container")) {
                System.err.println("removing container " + name + ": " + r.stderr().strip());
            }
            created.remove(name);
        }
    }
}
