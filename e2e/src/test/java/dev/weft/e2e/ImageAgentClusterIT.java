package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.weft.e2e.cluster.Artifacts;
import dev.weft.e2e.cluster.Cluster;
import dev.weft.e2e.cluster.ClusterSpec;
import dev.weft.e2e.cluster.Connectivity;
import dev.weft.e2e.cluster.Node;
import dev.weft.e2e.cluster.Pod;
import dev.weft.e2e.pod.ImageBuild;
import dev.weft.e2e.pod.PodmanCli;
import dev.weft.net.IpPrefix;
import dev.weft.testing.Cmd;
import dev.weft.testing.KernelTest;
import org.junit.jupiter.api.Test;

/**
 * The shipped image as every node's agent: deploy/weft.yaml's DaemonSet pod run with podman in each
 * node namespace (init containers install the CNI plugins into the node's /opt/cni/bin, the sidecar
 * writes the conflist), pods wired through what was installed. One cluster for the three scenarios:
 * all pairs reach each other, {@code weft status} and {@code weft doctor} in the agent container say
 * ok, and an agent container stopped and started under a 20 ms ping loses nothing.
 */
@KernelTest
class ImageAgentClusterIT {

    @Test
    void theImageRunsTheClusterAsTheManifestSays() throws Exception {
        String image = ImageBuild.ensureBuilt(Artifacts.locate().repo());
        ClusterSpec spec = ClusterSpec.forTest(3, 2).withAgentImage(image);
        long t0 = System.nanoTime();
        try (Cluster c = Cluster.start(spec)) {
            long started = System.nanoTime();
            System.out.printf("image cluster: 3 pods (init containers included) ready, 6 pods wired in %.1f s%n",
                    (started - t0) / 1e9);
            for (Node n : c.nodes()) {
                installedByTheInitContainers(n);
                runsConfined(n, spec);
            }
            allPairs(c);
            long pinged = System.nanoTime();
            for (Node n : c.nodes()) {
                Cmd.Result status = n.weft("status");
                Cmd.Result doctor = n.weft("doctor");
                System.out.println(n + ": weft status, weft doctor (podman exec)\n" + status.stdout() + doctor.stdout());
                assertThat(status.exitCode()).as("%s: weft status exit code%n%s", n, status).isZero();
                assertThat(status.stdout()).as("%s: weft status", n).contains("status: ok");
                assertThat(doctor.exitCode()).as("%s: weft doctor exit code%n%s", n, doctor).isZero();
                assertThat(doctor.stdout()).as("%s: weft doctor, every check ok", n)
                        .containsPattern("(?m)^(\\d+) checks: \\1 ok, 0 warn, 0 fail$");
            }
            long checked = System.nanoTime();
            restartUnderPing(c);
            System.out.printf("image cluster: all pairs %.1f s, status+doctor %.1f s, restart under ping %.1f s%n",
                    (pinged - started) / 1e9, (checked - pinged) / 1e9, (System.nanoTime() - checked) / 1e9);
        }
        PodmanCli podman = PodmanCli.forRepo(Path.of(System.getProperty("weft.repo", "..")).toAbsolutePath());
        String left = podman.run(Duration.ofSeconds(30), "ps", "--all", "--format", "{{.Names}}");
        assertThat(left.lines()).as("containers after close()").noneMatch(n -> n.startsWith(spec.prefix()));
        assertThat(Cmd.run("ip", "netns", "list")).as("namespaces after close()").doesNotContain(spec.prefix());
        System.out.printf("image cluster: whole scenario %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    /** The shim launcher, its runtime under the node's /opt/weft, and the reference plugins, as files on the node. */
    private static void installedByTheInitContainers(Node n) throws Exception {
        Path host = n.dir().resolve("host");
        Path bin = host.resolve("opt/cni/bin");
        for (String plugin : List.of("weft", "bridge", "host-local", "portmap", "loopback")) {
            Path p = bin.resolve(plugin);
            assertThat(Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) && Files.isExecutable(p))
                    .as("%s: %s installed by an init container", n, p).isTrue();
        }
        assertThat(Files.readString(bin.resolve("weft"))).as("%s: the launcher runs the runtime under /opt/weft", n)
                .contains("home=/opt/weft/cni/");
        try (var s = Files.list(host.resolve("opt/weft/cni"))) {
            assertThat(s.anyMatch(d -> Files.isExecutable(d.resolve("runtime/bin/java")))).as("%s: shim runtime", n).isTrue();
        }
        assertThat(host.resolve("etc/cni/net.d/10-weft.conflist")).as("%s: conflist written by the sidecar", n).isRegularFile();
    }

    /** NET_ADMIN and NET_RAW only, read-only root, not privileged, in the node's network namespace. */
    private static void runsConfined(Node n, ClusterSpec spec) {
        PodmanCli podman = PodmanCli.forRepo(Path.of(System.getProperty("weft.repo", "..")).toAbsolutePath());
        String name = n.ns().name() + "-agent";
        String out = podman.run(Duration.ofSeconds(30), "inspect", "--format",
                "{{.EffectiveCaps}}|{{.HostConfig.ReadonlyRootfs}}|{{.HostConfig.Privileged}}|{{.HostConfig.NetworkMode}}", name);
        String[] f = out.strip().split("\\|");
        assertThat(f[0]).as("%s: capabilities", name).isEqualTo("[CAP_NET_ADMIN CAP_NET_RAW]");
        assertThat(f[1]).as("%s: read-only root", name).isEqualTo("true");
        assertThat(f[2]).as("%s: privileged", name).isEqualTo("false");
        assertThat(f[3]).as("%s: network", name).isEqualTo("ns:" + n.ns().path());
    }

    private static void allPairs(Cluster c) throws Exception {
        List<Pod> pods = c.pods();
        assertThat(pods).hasSize(6);
        for (Pod p : pods) {
            String podCidr = c.client().nodes().withName(p.node().name()).get().getSpec().getPodCIDR();
            assertThat(IpPrefix.parseCidr(podCidr).contains(java.net.InetAddress.getByName(p.ip())))
                    .as("%s inside its node's subnet %s", p, podCidr).isTrue();
        }
        boolean[][] ok = Connectivity.pingMatrix(pods);
        String table = Connectivity.render(pods, ok);
        System.out.println(table);
        for (int i = 0; i < pods.size(); i++) {
            for (int j = 0; j < pods.size(); j++) {
                assertThat(ok[i][j]).as("ping %s -> %s%n%s", pods.get(i), pods.get(j), table).isTrue();
            }
        }
    }

    /** As AgentRestartClusterIT, with podman stop / podman start of the agent container. */
    private static void restartUnderPing(Cluster c) throws Exception {
        Node restarted = c.node(1);
        Pod p1 = c.podsOn(c.node(1)).getFirst();
        Pod p2 = c.podsOn(c.node(2)).getFirst();
        Pod p3 = c.podsOn(c.node(3)).getFirst();
        // 600 pings at 20 ms = 12 s: a container stop and start takes longer than a process's.
        try (Pinger across = Pinger.start(p2, p3, 600);
             Pinger into = Pinger.start(p3, p1, 600)) {
            Thread.sleep(500);
            assertThat(restarted.stopAgent(Duration.ofSeconds(10))).as("agent exit code after podman stop").isZero();
            assertThat(restarted.agentRunning()).isFalse();
            restarted.startAgent();
            restarted.awaitReady(Cluster.READY_TIMEOUT);
            for (Pinger p : new Pinger[] {across, into}) {
                long[] r = p.finish(40);
                System.out.printf("%s: %d sent, %d received%n", p.label(), r[0], r[1]);
                assertThat(r[0]).as("%s sent", p.label()).isEqualTo(600);
                assertThat(r[1]).as("%s replies (zero loss)", p.label()).isEqualTo(r[0]);
            }
        }
    }
}
