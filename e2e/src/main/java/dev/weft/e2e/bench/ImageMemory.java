package dev.weft.e2e.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.weft.e2e.cluster.Artifacts;
import dev.weft.e2e.cluster.Node;
import dev.weft.e2e.cluster.Underlay;
import dev.weft.e2e.pod.ImageBuild;
import dev.weft.e2e.pod.PodmanCli;

/**
 * B4's image row: the agent of the shipped image (deploy/Dockerfile, built by deploy/image/build.sh)
 * in B4's rig, against the same API server with the same peers, its RSS read from the container's
 * JVM as the build-tree agent's is: {@code podman run} in the rig's node namespace with the
 * DaemonSet's capabilities (NET_ADMIN, NET_RAW, nothing else) and its API settings from the
 * environment, as in a pod.
 */
final class ImageMemory {
    private static final Duration PODMAN = Duration.ofSeconds(60);

    /** One measured container run: converged after {@code seconds}, then this RSS; and the image's size. */
    record Result(String image, double imageMiB, double rssMiB, double peakMiB, double seconds) {
    }

    private ImageMemory() {
    }

    static Result measure(AgentRig rig, PrintStream log) throws Exception {
        Path repo = Artifacts.locate().repo();
        long b0 = System.nanoTime();
        String image = ImageBuild.ensureBuilt(repo);
        log.printf("B4: image %s ready in %.1f s%n", image, (System.nanoTime() - b0) / 1e9);
        PodmanCli podman = PodmanCli.forRepo(repo);
        double imageMiB = Double.parseDouble(podman.run(PODMAN, "image", "inspect", "--format", "{{.Size}}", image).strip())
                / 1048576.0;
        String name = "wt-" + ProcessHandle.current().pid() + "-b4-agent";
        rig.stopAgent();
        rig.removeDevice();
        podman.exec(PODMAN, "rm", "--force", "--time", "0", name);
        try (KernelWatch kernel = KernelWatch.open(rig.node().name(), AgentRig.DEVICE)) {
            long t0 = System.nanoTime();
            Process run = new ProcessBuilder(command(podman, rig, image, name)).redirectErrorStream(true)
                    .redirectOutput(rig.dir().resolve("image-agent.log").toFile()).start();
            try {
                long done = kernel.awaitAll(rig.peers(), run, AgentRuns.CONVERGE_TIMEOUT);
                long pid = Long.parseLong(podman.run(PODMAN, "inspect", "--format", "{{.State.Pid}}", name).strip());
                if (!ProcStats.comm(pid).equals("java")) {
                    throw new IllegalStateException("container pid " + pid + " is " + ProcStats.comm(pid) + ", not the agent's JVM");
                }
                AgentRig.sleep(AgentRuns.SETTLE.toMillis());
                if (!run.isAlive()) {
                    throw new IllegalStateException("the image's agent exited with " + run.exitValue());
                }
                return new Result(image, imageMiB, ProcStats.rssMiB(pid), ProcStats.peakRssMiB(pid), (done - t0) / 1e9);
            } finally {
                podman.exec(PODMAN, "rm", "--force", "--time", "5", name);
                run.waitFor();
            }
        }
    }

    private static List<String> command(PodmanCli podman, AgentRig rig, String image, String name) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("env"));
        podman.env().forEach((k, v) -> cmd.add(k + "=" + v));
        String dir = rig.dir().toString();
        cmd.addAll(List.of("podman", "run", "--rm", "--name", name, "--network", "ns:" + rig.node().path(),
                "--cap-drop", "all", "--cap-add", "NET_ADMIN", "--cap-add", "NET_RAW", "--read-only",
                "-v", dir + ":" + dir, "--tmpfs", "/tmp"));
        cmd.addAll(dev.weft.e2e.pod.PodRunner.runtimeOptions());
        Map<String, String> env = AgentRig.agentEnvironment(AgentRig.Setup.POD);
        env.forEach((k, v) -> cmd.addAll(List.of("-e", k + "=" + v)));
        cmd.addAll(List.of(image, "agent", "--node-name", AgentRig.NODE,
                "--subnet-file", dir + "/subnet.env", "--net-config-path", dir + "/net-conf.json",
                "--healthz-ip", "127.0.0.1", "--healthz-port", String.valueOf(Node.HEALTH_PORT),
                "--lease-namespace", "kube-system", "--ip-masq"));
        if (!env.containsKey("KUBERNETES_MASTER") || !env.get("KUBERNETES_MASTER").contains(Underlay.API_IP)) {
            throw new IllegalStateException("B4's pod set-up no longer names the bench API server: " + env);
        }
        return cmd;
    }
}
