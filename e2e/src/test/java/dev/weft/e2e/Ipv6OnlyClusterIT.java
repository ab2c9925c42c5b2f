package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import dev.weft.e2e.cluster.Cluster;
import dev.weft.e2e.cluster.ClusterSpec;
import dev.weft.e2e.cluster.Connectivity;
import dev.weft.e2e.cluster.Node;
import dev.weft.e2e.cluster.Pod;
import dev.weft.net.IpPrefix;
import dev.weft.testing.Cmd;
import dev.weft.testing.KernelTest;
import io.fabric8.kubernetes.api.model.NodeSpec;
import org.junit.jupiter.api.Test;

/**
 * An IPv6-only cluster (flannel's {@code EnableIPv4: false}): each node leases one IPv6 subnet,
 * which is its spec.podCIDR; it runs only flanneld's {@code flannel-v6.1}, publishes only the v6
 * annotations, writes subnet.env without IPv4 lines; pods get only IPv6 addresses and reach each
 * other across nodes without NAT. The agents pick their underlay by the IPv6 default route.
 */
@KernelTest
class Ipv6OnlyClusterIT {
    private static final String V6_NETWORK = DualStackClusterIT.V6_NETWORK;
    private static final String V6_DEVICE = DualStackClusterIT.V6_DEVICE;

    @Test
    void vxlanOverIpv6WithoutAnyIpv4PodNetwork() throws Exception {
        try (Cluster c = Cluster.startIpv6Only(ClusterSpec.forTest(3, 1), Cluster.VXLAN_BACKEND, V6_NETWORK)) {
            for (Node n : c.nodes()) {
                NodeSpec spec = c.client().nodes().withName(n.name()).get().getSpec();
                assertThat(spec.getPodCIDRs()).as("%s podCIDRs", n).hasSize(1);
                IpPrefix v6 = IpPrefix.parseCidr(spec.getPodCIDR());
                assertThat(spec.getPodCIDRs().getFirst()).isEqualTo(spec.getPodCIDR());
                assertThat(IpPrefix.parseCidr(V6_NETWORK).contains(v6)).as("%s podCIDR %s", n, v6).isTrue();
                Map<String, String> ann = c.client().nodes().withName(n.name()).get().getMetadata().getAnnotations();
                assertThat(ann).containsEntry(DataPlane.PREFIX + "public-ipv6", n.underlayIpV6())
                        .containsEntry(DataPlane.PREFIX + "backend-type", "vxlan")
                        .containsEntry(DataPlane.PREFIX + "kube-subnet-manager", "true")
                        .doesNotContainKeys(DataPlane.PREFIX + "backend-data", DataPlane.PREFIX + "public-ip");
                assertThat(ann.get(DataPlane.PREFIX + "backend-v6-data")).matches("\\{\"VNI\":1,\"VtepMAC\":\"[0-9a-f:]{17}\"}");
                String env = Files.readString(n.subnetEnv());
                assertThat(env).contains("FLANNEL_IPV6_NETWORK=" + V6_NETWORK)
                        .contains("FLANNEL_IPV6_SUBNET=" + IpPrefix.format(v6.firstHost()) + "/64")
                        .doesNotContain("FLANNEL_NETWORK=").doesNotContain("FLANNEL_SUBNET=");
                assertThat(n.ns().exec(Duration.ofSeconds(5), "ip", "link", "show", DataPlane.DEVICE).ok())
                        .as("%s has no IPv4 device", n).isFalse();
                assertThat(n.ns().ip("-d", "link", "show", V6_DEVICE)).contains("vxlan id 1")
                        .contains("local " + n.underlayIpV6());
                assertThat(n.ns().ip("-4", "route", "show", "proto", "87")).as("no IPv4 routes of weft").isBlank();
            }
            for (Pod p : c.pods()) {
                assertThat(p.cniResult().path("ips").findValuesAsText("address")).as("%s has only IPv6 addresses", p)
                        .allSatisfy(a -> assertThat(a).contains(":")).isNotEmpty();
                assertThat(IpPrefix.parseCidr(V6_NETWORK).contains(InetAddress.ofLiteral(p.ip()))).isTrue();
            }
            boolean[][] ok = Connectivity.pingMatrix(c.pods());
            assertThat(Connectivity.render(c.pods(), ok)).doesNotContain("FAIL");
            Pod from = c.podsOn(c.node(2)).getFirst();
            Pod to = c.podsOn(c.node(1)).getFirst();
            String seen = Connectivity.tcpPeerSeenBy(to.ns(), to.ip(), from.ns(), 5201);
            assertThat(InetAddress.ofLiteral(seen)).as("no NAT between pods: the receiver sees %s", seen)
                    .isEqualTo(InetAddress.ofLiteral(from.ip()));

            Node n1 = c.node(1);
            Cmd.Result status = n1.weft("status");
            assertThat(status.exitCode()).as("status: %s%s", status.stdout(), status.stderr()).isZero();
            assertThat(status.stdout()).contains("device: " + V6_DEVICE + " up").doesNotContain("flannel.1")
                    .containsPattern("node2 +fd42:42:[0-9a-f:]+/64 +fd98:18::c +[0-9a-f:]{17} +programmed");
            Cmd.Result doctor = n1.weft("doctor", n1.doctorArgs().toArray(String[]::new));
            assertThat(doctor.stdout()).as(doctor.stderr()).containsPattern("OK +device-v6 +" + V6_DEVICE)
                    .containsPattern("OK +interface +eth0 .*fd98:18::").containsPattern("OK +vtep-mac ")
                    .containsPattern("OK +mtu ").doesNotContain("FAIL");

            String peerSubnet = c.client().nodes().withName(c.node(2).name()).get().getSpec().getPodCIDR();
            n1.ns().ip("-6", "route", "del", peerSubnet); // by destination: a route through a nexthop object matches no dev
            assertThat(DataPlane.await(Duration.ofSeconds(10), () -> n1.ns().ip("-6", "route", "show", "proto", "87")
                    .contains(peerSubnet))).as("the agent puts a deleted IPv6 route back").isNotNull();

            n1.stopAgent(Duration.ofSeconds(5));
            Cmd.Result cleanup = n1.weft("cleanup");
            assertThat(cleanup.exitCode()).as(cleanup.stdout() + cleanup.stderr()).isZero();
            assertThat(n1.ns().exec(Duration.ofSeconds(5), "ip", "link", "show", V6_DEVICE).ok()).isFalse();
            assertThat(n1.ns().ip("-6", "route", "show", "proto", "87")).isBlank();
        }
    }

    @Test
    void hostGwOverIpv6RoutesEachPeerViaItsPublicIpv6() throws Exception {
        try (Cluster c = Cluster.startIpv6Only(ClusterSpec.forTest(2, 1), "{\"Type\":\"host-gw\"}", V6_NETWORK)) {
            Node n1 = c.node(1);
            Node n2 = c.node(2);
            Map<String, String> ann = c.client().nodes().withName(n1.name()).get().getMetadata().getAnnotations();
            assertThat(ann).containsEntry(DataPlane.PREFIX + "backend-type", "host-gw")
                    .containsEntry(DataPlane.PREFIX + "backend-v6-data", "null")
                    .containsEntry(DataPlane.PREFIX + "public-ipv6", n1.underlayIpV6())
                    .doesNotContainKeys(DataPlane.PREFIX + "public-ip");
            String subnet2 = c.client().nodes().withName(n2.name()).get().getSpec().getPodCIDR();
            assertThat(DataPlane.await(Duration.ofSeconds(10), () -> n1.ns().ip("-6", "route", "show", "proto", "87")
                    .contains(subnet2 + " via " + n2.underlayIpV6() + " dev eth0")))
                    .as("%s routes %s via %s", n1, subnet2, n2.underlayIpV6()).isNotNull();
            assertThat(n1.ns().exec(Duration.ofSeconds(5), "ip", "link", "show", V6_DEVICE).ok()).as("no device").isFalse();
            boolean[][] ok = Connectivity.pingMatrix(c.pods());
            assertThat(Connectivity.render(c.pods(), ok)).doesNotContain("FAIL");
            Cmd.Result status = n1.weft("status");
            assertThat(status.exitCode()).as("status: %s%s", status.stdout(), status.stderr()).isZero();
            assertThat(status.stdout()).containsPattern("node2 +fd42:42:[0-9a-f:]+/64 +fd98:18::c +.*programmed");
        }
    }
}
