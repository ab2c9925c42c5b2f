package dev.weft.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import dev.weft.iface.InterfaceSpec;
import dev.weft.masq.ExecResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host checks against a fake /proc tree, CNI directory and firewall tools. */
class HostChecksTest {
    @TempDir
    Path tmp;
    Path proc;
    Path cni;
    Path env;

    @BeforeEach
    void setUp() throws IOException {
        proc = tmp.resolve("proc");
        cni = Files.createDirectories(tmp.resolve("cni"));
        env = tmp.resolve("subnet.env");
        sysctl("sys/net/ipv4/ip_forward", "1");
        sysctl("sys/net/ipv4/conf/all/rp_filter", "0");
        sysctl("sys/net/bridge/bridge-nf-call-iptables", "1");
    }

    void sysctl(String rel, String v) throws IOException {
        Files.createDirectories(proc.resolve(rel).getParent());
        Files.writeString(proc.resolve(rel), v + "\n");
    }

    DoctorRequest request(boolean ipMasq) {
        return new DoctorRequest(InterfaceSpec.defaults(), Optional.of("node-a"), Optional.empty(), "flannel.alpha.coreos.com",
                env, tmp.resolve("net-conf.json"), Optional.empty(), ipMasq, cni);
    }

    List<Finding> run(boolean ipMasq, dev.weft.masq.Exec exec) {
        return new HostChecks(proc, exec).run(request(ipMasq));
    }

    static Finding find(List<Finding> fs, String check) {
        return fs.stream().filter(f -> f.check().equals(check)).findFirst().orElseThrow();
    }

    static final dev.weft.masq.Exec NO_TOOLS = (cmd, in) -> {
        throw new IOException("not installed");
    };

    @Test
    void healthyHostIsAllOk() throws IOException {
        Files.writeString(env, "FLANNEL_NETWORK=10.42.0.0/16\nFLANNEL_SUBNET=10.42.3.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=false\n");
        Files.writeString(cni.resolve("10-weft.conflist"), "{\"plugins\":[{\"type\": \"weft\"}]}");
        List<Finding> fs = run(false, NO_TOOLS);
        assertThat(fs).extracting(Finding::check).containsExactly("ip_forward", "rp_filter", "br_netfilter", "subnet.env", "cni config", "masquerade");
        assertThat(fs).allMatch(f -> f.level() == Finding.Level.OK, "all OK");
        assertThat(find(fs, "subnet.env").detail()).contains("FLANNEL_SUBNET=10.42.3.1/24");
        assertThat(DoctorReport.exitCode(fs)).isZero();
    }

    @Test
    void anIpv6OnlyNodeIsCheckedForIpv6ForwardingAndItsOwnSubnetEnvLines() throws IOException {
        sysctl("sys/net/ipv4/ip_forward", "0"); // not needed without an IPv4 pod network
        sysctl("sys/net/ipv6/conf/all/forwarding", "1");
        Files.writeString(env, "FLANNEL_IPV6_NETWORK=fd42::/48\nFLANNEL_IPV6_SUBNET=fd42:0:0:3::1/64\nFLANNEL_MTU=1430\n"
                + "FLANNEL_IPMASQ=false\n");
        Files.writeString(cni.resolve("10-weft.conflist"), "{\"plugins\":[{\"type\": \"weft\"}]}");
        List<Finding> fs = run(false, NO_TOOLS);
        assertThat(fs).extracting(Finding::check).containsExactly("ip6_forward", "br_netfilter", "subnet.env", "cni config", "masquerade");
        assertThat(fs).allMatch(f -> f.level() == Finding.Level.OK, "all OK");

        sysctl("sys/net/ipv6/conf/all/forwarding", "0");
        Files.writeString(env, "FLANNEL_IPV6_NETWORK=fd42::/48\nFLANNEL_MTU=1430\nFLANNEL_IPMASQ=false\n");
        fs = run(false, NO_TOOLS);
        assertThat(find(fs, "ip6_forward").level()).isEqualTo(Finding.Level.FAIL);
        assertThat(find(fs, "subnet.env").detail()).contains("lacks FLANNEL_IPV6_SUBNET").doesNotContain("FLANNEL_NETWORK");
    }

    @Test
    void aDualStackNodeNeedsBothFamiliesLinesAndForwarding() throws IOException {
        sysctl("sys/net/ipv6/conf/all/forwarding", "0");
        Files.writeString(env, "FLANNEL_NETWORK=10.42.0.0/16\nFLANNEL_SUBNET=10.42.3.1/24\nFLANNEL_MTU=1430\nFLANNEL_IPMASQ=false\n"
                + "FLANNEL_IPV6_NETWORK=fd42::/48\n");
        List<Finding> fs = run(false, NO_TOOLS);
        assertThat(find(fs, "ip_forward").level()).isEqualTo(Finding.Level.OK);
        assertThat(find(fs, "ip6_forward").level()).isEqualTo(Finding.Level.FAIL);
        assertThat(find(fs, "subnet.env").detail()).contains("lacks FLANNEL_IPV6_SUBNET");
    }

    @Test
    void commonProblemsAreFoundWithHints() throws IOException {
        sysctl("sys/net/ipv4/ip_forward", "0");
        sysctl("sys/net/ipv4/conf/all/rp_filter", "1");
        Files.delete(proc.resolve("sys/net/bridge/bridge-nf-call-iptables"));
        Files.writeString(env, "FLANNEL_NETWORK=10.42.0.0/16\nFLANNEL_MTU=1450\n");
        Files.writeString(cni.resolve("05-other.conflist"), "{\"plugins\":[{\"type\":\"calico\"}]}");
        Files.writeString(cni.resolve("10-weft.conflist"), "{\"plugins\":[{\"type\":\"weft\"}]}");
        List<Finding> fs = run(false, NO_TOOLS);
        assertThat(find(fs, "ip_forward").level()).isEqualTo(Finding.Level.FAIL);
        assertThat(find(fs, "rp_filter").level()).isEqualTo(Finding.Level.WARN);
        assertThat(find(fs, "br_netfilter").hint()).hasValueSatisfying(h -> assertThat(h).contains("modprobe br_netfilter"));
        assertThat(find(fs, "subnet.env").detail()).contains("lacks FLANNEL_SUBNET, FLANNEL_IPMASQ");
        assertThat(find(fs, "cni config").detail()).contains("uses the first file, 05-other.conflist");
        assertThat(DoctorReport.exitCode(fs)).isEqualTo(1);
        String text = DoctorReport.render(fs);
        assertThat(text).contains("FAIL  ip_forward    net.ipv4.ip_forward = 0", "fix: sysctl -w net.ipv4.ip_forward=1",
                "6 checks: 1 ok, 3 warn, 2 fail");
    }

    @Test
    void masqueradeIsCheckedWithTheNetworkFromSubnetEnv() throws IOException {
        Files.writeString(env, "FLANNEL_NETWORK=10.42.0.0/16\nFLANNEL_SUBNET=10.42.3.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n");
        dev.weft.masq.Exec emptyFirewall = (cmd, in) -> new ExecResult(cmd, 0, "", "");
        Finding f = find(run(true, emptyFirewall), "masquerade");
        assertThat(f.level()).isEqualTo(Finding.Level.FAIL);
        assertThat(f.detail()).contains("iptables-nft", "nat WEFT-POSTRTG chain");
        Finding noTools = find(run(true, NO_TOOLS), "masquerade");
        assertThat(noTools.detail()).contains("cannot check");
    }

    @Test
    void ipMasqMismatchWithSubnetEnvIsAWarning() throws IOException {
        Files.writeString(env, "FLANNEL_NETWORK=10.42.0.0/16\nFLANNEL_SUBNET=10.42.3.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n");
        assertThat(find(run(false, NO_TOOLS), "subnet.env").level()).isEqualTo(Finding.Level.WARN);
    }

    @Test
    void missingFilesAreFailuresNotCrashes() {
        List<Finding> fs = new HostChecks(tmp.resolve("no-proc"), NO_TOOLS).run(new DoctorRequest(InterfaceSpec.defaults(),
                Optional.empty(), Optional.empty(), "p", tmp.resolve("nope.env"), tmp.resolve("n"), Optional.empty(), true, tmp.resolve("no-cni")));
        assertThat(find(fs, "ip_forward").detail()).contains("unknown");
        assertThat(find(fs, "subnet.env").level()).isEqualTo(Finding.Level.FAIL);
        assertThat(find(fs, "cni config").level()).isEqualTo(Finding.Level.FAIL);
        assertThat(find(fs, "masquerade").level()).isEqualTo(Finding.Level.WARN);
    }
}
