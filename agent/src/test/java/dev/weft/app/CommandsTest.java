package dev.weft.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.weft.doctor.Finding;
import dev.weft.status.PeerState;
import dev.weft.status.StatusReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command tree, help, and the status / doctor / cleanup commands with substituted services. */
class CommandsTest {
    @TempDir
    Path tmp;
    final CliHarness cli = new CliHarness();

    @Test
    void helpListsCommandsAndExitsZero() {
        CliHarness.Run r = cli.run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("agent", "status", "doctor", "cleanup");
    }

    @Test
    void agentHelpShowsEveryFlagWithItsEnvironmentVariable() {
        CliHarness.Run r = cli.run("agent", "--help");
        assertThat(r.code()).isZero();
        for (FlagDef f : Flags.AGENT) {
            assertThat(r.out()).contains(f.name(), f.envName());
        }
        assertThat(r.out()).contains("Default: 9471");
    }

    @Test
    void noCommandIsAUsageError() {
        CliHarness.Run r = cli.run();
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("missing command");
    }

    @Test
    void unknownCommandIsAUsageError() {
        CliHarness.Run r = cli.run("frobnicate");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("frobnicate");
    }

    @Test
    void commandLineModelExposesEveryFlagForManifestChecks() {
        CommandLine agent = WeftCli.newCommandLine().getSubcommands().get("agent");
        for (FlagDef f : Flags.AGENT) {
            assertThat(agent.getCommandSpec().findOption(f.name())).as(f.name()).isNotNull();
        }
        assertThat(agent.getCommandSpec().findOption("--kubeconfig-file")).isNotNull();
        assertThat(WeftCli.newCommandLine().getSubcommands()).containsOnlyKeys("agent", "status", "doctor", "cleanup");
    }

    @Test
    void envNamesFollowTheRule() {
        assertThat(Flags.IP_MASQ.envName()).isEqualTo("WEFT_IP_MASQ");
        assertThat(Flags.HEALTHZ_PORT.envName()).isEqualTo("WEFT_HEALTHZ_PORT");
        assertThat(Flags.KUBECONFIG.envName()).isEqualTo("WEFT_KUBECONFIG");
    }

    @Test
    void statusRendersTableAndExitsZeroWhenHealthy() {
        cli.status = req -> report(PeerState.PROGRAMMED);
        CliHarness.Run r = cli.run(Map.of("NODE_NAME", "node-a"), "status");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("node:   node-a", "10.42.3.0/24", "node-b", "programmed");
    }

    @Test
    void statusExitsOneOnDriftAndRendersJson() {
        cli.status = req -> report(PeerState.MISSING);
        CliHarness.Run r = cli.run("status", "--node-name", "node-a", "--output", "json");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).startsWith("{\"node\":\"node-a\",\"healthy\":false").contains("\"state\":\"missing\"");
    }

    @Test
    void statusRejectsUnknownOutputAndNeedsANode() {
        CliHarness.Run bad = cli.run("status", "--node-name", "a", "--output", "xml");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--output", "'xml'");
        CliHarness.Run noNode = cli.run("status");
        assertThat(noNode.code()).isEqualTo(2);
        assertThat(noNode.err()).contains("--node-name");
    }

    @Test
    void statusFailureFromTheSourceExitsOne() {
        CliHarness.Run r = cli.run("status", "--node-name", "a");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("weft status:", "not wired");
    }

    @Test
    void defaultServicesSayWhatIsNotWiredInsteadOfPretending() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        WeftServices unwired = WeftServices.defaults();
        WeftServices services = new WeftServices(unwired.agent(), unwired.status(), unwired.dataPlaneDoctor(),
                unwired.deviceCleanup(), unwired.firewall(), unwired.proc(), ShutdownSignal::new);
        int code = WeftCli.run(new String[] {"status", "--node-name", "a"}, Map.of(), new PrintWriter(out), new PrintWriter(err), services);
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("not wired into this build");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void doctorPrintsOneLinePerCheckAndFailsOnFail() throws IOException {
        Path proc = tmp.resolve("proc");
        Files.createDirectories(proc.resolve("sys/net/ipv4/conf/all"));
        Files.writeString(proc.resolve("sys/net/ipv4/ip_forward"), "0\n");
        Files.writeString(proc.resolve("sys/net/ipv4/conf/all/rp_filter"), "2\n");
        cli.proc = proc;
        cli.dataPlane = req -> List.of(Finding.ok("interface", "eth0 (198.18.0.2): the default route goes through eth0"));
        Path cni = Files.createDirectories(tmp.resolve("cni"));
        CliHarness.Run r = cli.run("doctor", "--cni-conf-dir", cni.toString(), "--subnet-file", tmp.resolve("none.env").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("FAIL  ip_forward", "sysctl -w net.ipv4.ip_forward=1", "OK    rp_filter",
                "WARN  br_netfilter", "FAIL  subnet.env", "FAIL  cni config", "OK    masquerade", "OK    interface");
    }

    @Test
    void doctorAndCleanupValidateTheirFlagsToo() {
        CliHarness.Run doctor = cli.run("doctor", "--iface", "bad/name");
        assertThat(doctor.code()).isEqualTo(2);
        assertThat(doctor.err()).contains("--iface", "'bad/name'");
        CliHarness.Run cleanup = cli.run("cleanup", "--subnet-file", tmp.toString());
        assertThat(cleanup.code()).isEqualTo(2);
        assertThat(cleanup.err()).contains("--subnet-file", "is a directory");
        CliHarness.Run unknown = cli.run("cleanup", "--ip-masq");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("--ip-masq");
    }

    @Test
    void configErrorsFromTheAgentRunnerExitTwo() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path netConf = tmp.resolve("net-conf.json");
        try {
            Files.writeString(netConf, "{}");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        WeftServices s = new WeftServices((config, shutdown) -> {
            throw new ConfigException("net-conf.json: invalid value for Network: '10.42.0.0/33'");
        }, cli.status, cli.dataPlane, cli.device, cli.firewall, cli.proc, ShutdownSignal::new);
        int code = WeftCli.run(new String[] {"agent", "--node-name", "a", "--net-config-path", netConf.toString()}, Map.of(),
                new PrintWriter(out), new PrintWriter(err), s);
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("weft agent: net-conf.json: invalid value for Network: '10.42.0.0/33'");
    }

    @Test
    void cleanupRemovesSubnetEnvAndReportsEachPart() throws IOException {
        Path env = Files.writeString(tmp.resolve("subnet.env"), "FLANNEL_NETWORK=10.42.0.0/16\n");
        cli.device = req -> "removed " + req.deviceName().orElse("flannel.<VNI>");
        cli.firewall = (cmd, stdin) -> new dev.weft.masq.ExecResult(cmd, cmd.getFirst().equals("nft") ? 0 : 1, "", "");
        CliHarness.Run r = cli.run("cleanup", "--subnet-file", env.toString(), "--device-name", "flannel.9");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("device: removed flannel.9", "firewall: no weft rules", "subnet.env: removed");
        assertThat(env).doesNotExist();
        CliHarness.Run again = cli.run("cleanup", "--subnet-file", env.toString());
        assertThat(again.code()).isZero();
        assertThat(again.out()).contains("subnet.env: no ");
    }

    @Test
    void cleanupCarriesOnAfterAFailedStepAndExitsOne() throws IOException {
        Path env = Files.writeString(tmp.resolve("subnet.env"), "x\n");
        cli.device = req -> {
            throw new IllegalStateException("netlink said EPERM");
        };
        CliHarness.Run r = cli.run("cleanup", "--subnet-file", env.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("device: netlink said EPERM");
        assertThat(env).doesNotExist();
    }

    private static StatusReport report(PeerState peer) {
        return new StatusReport("node-a",
                new StatusReport.Lease(Optional.of("10.42.3.0/24"), Optional.of("198.18.0.2"), ""),
                new StatusReport.Device("flannel.1", true, true, Optional.of("aa:bb:cc:dd:ee:01"), Optional.of(1450), ""),
                List.of(new StatusReport.Peer("node-b", Optional.of("10.42.4.0/24"), Optional.of("198.18.0.3"),
                        Optional.of("aa:bb:cc:dd:ee:02"), peer, "")));
    }
}
