package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import dev.weft.e2e.cluster.Cluster;
import dev.weft.e2e.cluster.ClusterSpec;
import dev.weft.e2e.cluster.CniRuntime;
import dev.weft.e2e.cluster.Connectivity;
import dev.weft.e2e.cluster.Node;
import dev.weft.e2e.cluster.Pod;
import dev.weft.net.IpPrefix;
import dev.weft.testing.Cmd;
import dev.weft.testing.KernelTest;
import io.fabric8.kubernetes.api.model.NodeSpec;
import org.junit.jupiter.api.Test;

/**
 * A dual-stack cluster (IPv4 and IPv6 pod networks over a dual-stack underlay): each node leases
 * a subnet of each family, runs flanneld's two devices ({@code flannel.1} over IPv4,
 * {@code flannel-v6.1} over IPv6), publishes flanneld's v6 annotations and writes both families
 * into subnet.env; every node reaches every other node's subnets of both families.
 */
@KernelTest
class DualStackClusterIT {
    static final String V6_NETWORK = "fd42:42::/48";
    static final String V6_DEVICE = "flannel-v6.1";

    @Test
    void everyNodeReachesEveryOtherOverBothFamilies() throws Exception {
        try (Cluster c = Cluster.start(ClusterSpec.forTest(3, 1), Cluster.VXLAN_BACKEND, Optional.of(V6_NETWORK))) {
            for (Node n : c.nodes()) {
                NodeSpec spec = c.client().nodes().withName(n.name()).get().getSpec();
                assertThat(spec.getPodCIDRs()).as("%s podCIDRs", n).hasSize(2);
                IpPrefix v6 = IpPrefix.parseCidr(spec.getPodCIDRs().get(1));
                assertThat(v6.isIpv6()).isTrue();
                assertThat(v6.length()).isEqualTo(64);
                assertThat(IpPrefix.parseCidr(V6_NETWORK).contains(v6)).isTrue();
                Map<String, String> ann = c.client().nodes().withName(n.name()).get().getMetadata().getAnnotations();
                assertThat(ann).containsEntry(DataPlane.PREFIX + "public-ipv6", n.underlayIpV6());
                assertThat(ann.get(DataPlane.PREFIX + "backend-v6-data")).matches("\\{\"VNI\":1,\"VtepMAC\":\"[0-9a-f:]{17}\"}");
                String env = Files.readString(n.subnetEnv());
                assertThat(env).contains("FLANNEL_IPV6_NETWORK=" + V6_NETWORK)
                        .contains("FLANNEL_IPV6_SUBNET=" + IpPrefix.format(v6.firstHost()) + "/64");
                String link = n.ns().ip("-d", "link", "show", V6_DEVICE);
                assertThat(link).contains("vxlan id 1").contains("local " + n.underlayIpV6()).contains("dstport 8472");
                assertThat(ann.get(DataPlane.PREFIX + "backend-v6-data")).contains(mac(link));
            }
            for (Node from : c.nodes()) {
                for (Node to : c.nodes()) {
                    if (from == to) {
                        continue;
                    }
                    NodeSpec spec = c.client().nodes().withName(to.name()).get().getSpec();
                    String v4 = IpPrefix.format(IpPrefix.parseCidr(spec.getPodCIDRs().get(0)).networkAddress());
                    String v6 = IpPrefix.format(IpPrefix.parseCidr(spec.getPodCIDRs().get(1)).networkAddress());
                    assertThat(DataPlane.await(Duration.ofSeconds(10), () -> ping(from, v6).ok()))
                            .as("%s -> %s's flannel-v6.1 address %s over the IPv6 tunnel", from, to, v6).isNotNull();
                    assertThat(ping(from, v4).ok()).as("%s -> %s's flannel.1 address %s", from, to, v4).isTrue();
                    assertThat(from.ns().ip("-6", "route", "show", "proto", "87"))
                            .containsPattern(java.util.regex.Pattern.quote(spec.getPodCIDRs().get(1)) + "( nhid \\d+)?"
                                    + java.util.regex.Pattern.quote(" via " + v6 + " dev " + V6_DEVICE) + " .*onlink");
                }
            }
            for (Pod a : c.pods()) {
                for (Pod b : c.pods()) {
                    if (a == b) {
                        continue;
                    }
                    String v6 = CniRuntime.firstIpv6(b.cniResult());
                    assertThat(IpPrefix.parseCidr(V6_NETWORK).contains(java.net.InetAddress.ofLiteral(v6))).isTrue();
                    assertThat(Connectivity.ping(a.ns(), b.ip(), 3)).as("%s -> %s over IPv4", a, b).isTrue();
                    assertThat(DataPlane.await(Duration.ofSeconds(10), () -> a.ns().exec(Duration.ofSeconds(5), "ping", "-6", "-n",
                            "-c", "1", "-W", "2", v6).ok())).as("%s -> %s (%s) over IPv6", a, b, v6).isNotNull();
                }
            }
            Pod from = c.podsOn(c.node(2)).getFirst();
            Pod to = c.podsOn(c.node(1)).getFirst();
            String seen = Connectivity.tcpPeerSeenBy(to.ns(), CniRuntime.firstIpv6(to.cniResult()), from.ns(), 5201);
            assertThat(java.net.InetAddress.ofLiteral(seen)).as("no NAT between pods over IPv6: the receiver sees %s", seen)
                    .isEqualTo(java.net.InetAddress.ofLiteral(CniRuntime.firstIpv6(from.cniResult())));

            Node n1 = c.node(1);
            Cmd.Result status = n1.weft("status");
            assertThat(status.exitCode()).as("status: %s%s", status.stdout(), status.stderr()).isZero();
            assertThat(status.stdout()).contains("device: flannel.1 up").contains("device: " + V6_DEVICE + " up")
                    .containsPattern("node2 +fd42:42:[0-9a-f:]+/64 +fd98:18::c +[0-9a-f:]{17} +programmed")
                    .containsPattern("node2 +10\\.42\\.[0-9]+\\.0/24 +198\\.18\\.0\\.12 +[0-9a-f:]{17} +programmed");
            Cmd.Result doctor = n1.weft("doctor", n1.doctorArgs().toArray(String[]::new));
            assertThat(doctor.stdout()).as(doctor.stderr()).containsPattern("OK +device-v6 +" + V6_DEVICE)
                    .containsPattern("OK +mtu ").doesNotContain("FAIL");

            n1.ns().ip("-6", "neigh", "del", IpPrefix.format(IpPrefix.parseCidr(c.client().nodes().withName(c.node(2).name()).get()
                    .getSpec().getPodCIDRs().get(1)).networkAddress()), "dev", V6_DEVICE);
            assertThat(DataPlane.await(Duration.ofSeconds(10), () -> n1.weft("status").exitCode() == 0))
                    .as("the agent puts a deleted IPv6 neighbour back").isNotNull();

            n1.stopAgent(Duration.ofSeconds(5));
            Cmd.Result cleanup = n1.weft("cleanup");
            assertThat(cleanup.stdout() + cleanup.stderr()).contains("flannel.1 and " + V6_DEVICE);
            assertThat(n1.ns().exec(Duration.ofSeconds(5), "ip", "link", "show", V6_DEVICE).ok()).isFalse();
            assertThat(n1.ns().ip("-6", "route", "show", "proto", "87")).isBlank();
        }
    }

    private static Cmd.Result ping(Node from, String ip) {
        return from.ns().exec(Duration.ofSeconds(5), "ping", "-n", "-c", "1", "-W", "2", ip);
    }

    private static String mac(String ipLink) {
        int i = ipLink.indexOf("link/ether ");
        return ipLink.substring(i + "link/ether ".length(), i + "link/ether ".length() + 17);
    }
}
