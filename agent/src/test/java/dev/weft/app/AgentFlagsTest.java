package dev.weft.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.weft.iface.IfaceRef;
import dev.weft.logging.LogFormat;
import dev.weft.logging.LogLevel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code weft agent}'s flags and env vars: every accepted form and every error path (exit 2, naming source and value). */
class AgentFlagsTest {
    @TempDir
    Path tmp;
    Path netConf;
    CliHarness cli;

    @BeforeEach
    void setUp() throws IOException {
        netConf = Files.writeString(tmp.resolve("net-conf.json"), "{\"Network\":\"10.42.0.0/16\"}");
        cli = new CliHarness();
    }

    /** Runs {@code weft agent} with a valid node name and net-conf plus {@code extra}. */
    private CliHarness.Run agent(Map<String, String> env, String... extra) {
        List<String> args = new ArrayList<>(List.of("agent", "--node-name", "node-a", "--net-config-path", netConf.toString()));
        args.addAll(List.of(extra));
        return cli.run(env, args.toArray(String[]::new));
    }

    private CliHarness.Run agent(String... extra) {
        return agent(Map.of(), extra);
    }

    private AgentConfig config() {
        return cli.agentConfig.get();
    }

    private static void assertUsage(CliHarness.Run r, String... mentions) {
        assertThat(r.code()).as("exit code, stderr: %s", r.err()).isEqualTo(2);
        assertThat(r.err()).contains(mentions);
        assertThat(r.err().strip().lines().count()).as("one message: %s", r.err()).isEqualTo(1);
    }

    @Test
    void defaultsMatchFlannelsWhereFlannelHasThem() {
        CliHarness.Run r = agent();
        assertThat(r.code()).as(r.err()).isZero();
        AgentConfig c = config();
        assertThat(c.nodeName()).isEqualTo("node-a");
        assertThat(c.subnetFile()).isEqualTo(Path.of("/run/flannel/subnet.env"));
        assertThat(c.netConfPath()).isEqualTo(netConf);
        assertThat(c.ipMasq()).isFalse();
        assertThat(c.healthzIp()).isEqualTo(InetAddress.ofLiteral("0.0.0.0"));
        assertThat(c.healthzPort()).isEqualTo(9471);
        assertThat(c.healthzEnabled()).isTrue();
        assertThat(c.annotationPrefix()).isEqualTo("flannel.alpha.coreos.com");
        assertThat(c.kubeconfig()).isEmpty();
        assertThat(c.deviceName()).isEmpty();
        assertThat(c.deviceNameFor(1)).isEqualTo("flannel.1");
        assertThat(c.resyncPeriod()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.disableTxChecksumOffload()).isFalse();
        assertThat(c.leaseNamespace()).isEqualTo("kube-system");
        assertThat(c.logFormat()).isEqualTo(LogFormat.TEXT);
        assertThat(c.logLevel()).isEqualTo(LogLevel.INFO);
        assertThat(c.interfaces().explicit()).isFalse();
        assertThat(c.interfaces().publicIp()).isEmpty();
    }

    @Test
    void everyFlagParses() throws IOException {
        Path kubeconfig = Files.writeString(tmp.resolve("kubeconfig"), "apiVersion: v1\n");
        CliHarness.Run r = agent("--iface", "eth1", "--iface", "198.18.0.5", "--iface-regex", "^ens",
                "--iface-can-reach", "198.18.0.1", "--public-ip", "198.51.100.7", "--public-ipv6", "fd98:18::7", "--subnet-file", tmp.resolve("s.env").toString(),
                "--ip-masq", "--healthz-ip", "127.0.0.1", "--healthz-port", "0", "--annotation-prefix", "weft.example.com",
                "--kubeconfig", kubeconfig.toString(), "--device-name", "vx0", "--resync-period", "1m",
                "--disable-tx-checksum-offload=true", "--lease-namespace", "weft-system", "--log-format", "json",
                "--log-level", "debug", "--kube-subnet-mgr");
        assertThat(r.code()).as(r.err()).isZero();
        AgentConfig c = config();
        assertThat(c.interfaces().ifaces()).containsExactly(new IfaceRef.Name("eth1"),
                new IfaceRef.Address(InetAddress.ofLiteral("198.18.0.5")));
        assertThat(c.interfaces().regexes()).extracting(p -> p.pattern()).containsExactly("^ens");
        assertThat(c.interfaces().canReach()).contains(InetAddress.ofLiteral("198.18.0.1"));
        assertThat(c.interfaces().publicIp()).contains(InetAddress.ofLiteral("198.51.100.7"));
        assertThat(c.interfaces().publicIpV6()).contains(InetAddress.ofLiteral("fd98:18::7"));
        assertThat(c.subnetFile()).isEqualTo(tmp.resolve("s.env"));
        assertThat(c.ipMasq()).isTrue();
        assertThat(c.healthzIp()).isEqualTo(InetAddress.ofLiteral("127.0.0.1"));
        assertThat(c.healthzEnabled()).isFalse();
        assertThat(c.annotationPrefix()).isEqualTo("weft.example.com");
        assertThat(c.kubeconfig()).contains(kubeconfig);
        assertThat(c.deviceNameFor(1)).isEqualTo("vx0");
        assertThat(c.resyncPeriod()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.disableTxChecksumOffload()).isTrue();
        assertThat(c.leaseNamespace()).isEqualTo("weft-system");
        assertThat(c.logFormat()).isEqualTo(LogFormat.JSON);
        assertThat(c.logLevel()).isEqualTo(LogLevel.DEBUG);
    }

    @Test
    void everyFlagAlsoComesFromItsEnvironmentVariable() throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("WEFT_NODE_NAME", "node-b");
        env.put("WEFT_NET_CONFIG_PATH", netConf.toString());
        env.put("WEFT_IFACE", "eth0, 198.18.0.5,,eth1");
        env.put("WEFT_IFACE_REGEX", "^en,^eth");
        env.put("WEFT_IFACE_CAN_REACH", "198.18.0.1");
        env.put("WEFT_PUBLIC_IP", "198.51.100.9");
        env.put("WEFT_SUBNET_FILE", "/tmp/x.env");
        env.put("WEFT_IP_MASQ", "true");
        env.put("WEFT_HEALTHZ_IP", "::1");
        env.put("WEFT_HEALTHZ_PORT", "8080");
        env.put("WEFT_ANNOTATION_PREFIX", "weft.io");
        env.put("WEFT_DEVICE_NAME", "weft.7");
        env.put("WEFT_RESYNC_PERIOD", "500ms");
        env.put("WEFT_DISABLE_TX_CHECKSUM_OFFLOAD", "1");
        env.put("WEFT_LEASE_NAMESPACE", "net");
        env.put("WEFT_LOG_FORMAT", "JSON");
        env.put("WEFT_LOG_LEVEL", "warning");
        env.put("WEFT_KUBECONFIG", Files.writeString(tmp.resolve("kc"), "x").toString());
        CliHarness.Run r = cli.run(env, "agent");
        assertThat(r.code()).as(r.err()).isZero();
        AgentConfig c = config();
        assertThat(c.nodeName()).isEqualTo("node-b");
        assertThat(c.interfaces().ifaces()).containsExactly(new IfaceRef.Name("eth0"),
                new IfaceRef.Address(InetAddress.ofLiteral("198.18.0.5")), new IfaceRef.Name("eth1"));
        assertThat(c.interfaces().regexes()).hasSize(2);
        assertThat(c.interfaces().canReach()).isPresent();
        assertThat(c.interfaces().publicIp()).contains(InetAddress.ofLiteral("198.51.100.9"));
        assertThat(c.subnetFile()).isEqualTo(Path.of("/tmp/x.env"));
        assertThat(c.ipMasq()).isTrue();
        assertThat(c.healthzIp()).isEqualTo(InetAddress.ofLiteral("::1"));
        assertThat(c.healthzPort()).isEqualTo(8080);
        assertThat(c.annotationPrefix()).isEqualTo("weft.io");
        assertThat(c.deviceName()).contains("weft.7");
        assertThat(c.resyncPeriod()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.disableTxChecksumOffload()).isTrue();
        assertThat(c.leaseNamespace()).isEqualTo("net");
        assertThat(c.logFormat()).isEqualTo(LogFormat.JSON);
        assertThat(c.logLevel()).isEqualTo(LogLevel.WARN);
        assertThat(c.kubeconfig()).isPresent();
    }

    @Test
    void explicitFlagBeatsEnvironmentEvenWhenTheEnvValueIsBad() {
        CliHarness.Run r = agent(Map.of("WEFT_HEALTHZ_PORT", "nope", "WEFT_IFACE", "bad/name"),
                "--healthz-port", "1234", "--iface", "eth3");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(config().healthzPort()).isEqualTo(1234);
        assertThat(config().interfaces().ifaces()).containsExactly(new IfaceRef.Name("eth3"));
    }

    @Test
    void givenTwiceTheLastValueWins() {
        assertThat(agent("--healthz-port", "1", "--healthz-port", "2").code()).isZero();
        assertThat(config().healthzPort()).isEqualTo(2);
    }

    @Test
    void emptyEnvironmentVariableCountsAsUnset() {
        assertThat(agent(Map.of("WEFT_HEALTHZ_PORT", "", "WEFT_IFACE", "")).code()).isZero();
        assertThat(config().healthzPort()).isEqualTo(9471);
        assertThat(config().interfaces().ifaces()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"60s", "1m", "500ms", "1h30m", "1.5s", "100ms", "24h"})
    void resyncPeriodAcceptsGoDurations(String d) {
        assertThat(agent("--resync-period", d).code()).isZero();
        assertThat(config().resyncPeriod()).isEqualTo(Durations.parse(d));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--healthz-port|nope|expected a port number",
        "--healthz-port|70000|expected a port number",
        "--healthz-port|-1|expected a port number",
        "--resync-period|60|missing unit",
        "--resync-period|1x|not a duration",
        "--resync-period|10ms|must be between 100ms and 24h",
        "--resync-period|25h|must be between",
        "--public-ip|300.1.1.1|expected an IP address",
        "--public-ip|example.com|expected an IP address",
        "--public-ip|10.1|expected an IP address",
        "--public-ip|fd00::7|expected an IPv4 address",
        "--public-ipv6|198.51.100.7|expected an IPv6 address",
        "--public-ipv6|fd00::zz|expected an IP address",
        "--healthz-ip|localhost|expected an IP address",
        "--iface-can-reach|10.0.0.|expected an IP address",
        "--iface|this-name-is-too-long|expected an interface name",
        "--iface|eth0/1|expected an interface name",
        "--iface|fe80::zz|expected an IP address",
        "--iface-regex|([|not a regular expression",
        "--device-name|a b|expected an interface name",
        "--annotation-prefix|Flannel.Alpha|DNS-1123 subdomain",
        "--lease-namespace|kube.system|DNS-1123 label",
        "--node-name|Node_A|DNS-1123 subdomain",
        "--log-format|xml|expected text or json",
        "--log-level|loud|expected trace, debug",
        "--ip-masq|maybe|expected true or false",
        "--disable-tx-checksum-offload|2|expected true or false",
        "--kube-subnet-mgr|false|only supports the Kubernetes subnet manager",
    })
    void badFlagValueExitsTwoNamingFlagAndValue(String flag, String value, String why) {
        assertUsage(agent(flag + "=" + value), flag, "'" + value + "'", why);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "WEFT_HEALTHZ_PORT|nope",
        "WEFT_RESYNC_PERIOD|soon",
        "WEFT_PUBLIC_IP|1.2.3",
        "WEFT_IP_MASQ|maybe",
        "WEFT_IFACE|eth0,bad/name",
        "WEFT_LOG_LEVEL|chatty",
        "WEFT_DEVICE_NAME|way-too-long-device",
        "POD_NAMESPACE|Not_A_Namespace",
    })
    void badEnvironmentValueExitsTwoNamingVariableAndValue(String var, String value) {
        CliHarness.Run r = agent(Map.of(var, value));
        String bad = var.equals("WEFT_IFACE") ? "bad/name" : value;
        assertUsage(r, "environment variable " + var, "'" + bad + "'");
    }

    @Test
    void syntaxErrorsAreReportedBeforeMissingValuesAndFiles() {
        assertUsage(cli.run("agent", "--healthz-port", "nope"), "--healthz-port", "'nope'");
    }

    @Test
    void unknownFlagExitsTwoNamingIt() {
        assertUsage(agent("--bogus-flag", "x"), "--bogus-flag");
    }

    @Test
    void missingFlagValueExitsTwo() {
        assertUsage(agent("--iface"), "--iface");
        assertUsage(agent("--healthz-port", "--ip-masq"), "--healthz-port");
    }

    @Test
    void strayArgumentExitsTwo() {
        assertUsage(agent("surprise"), "surprise");
    }

    @Test
    void missingNodeNameExitsTwoSayingHowToSetIt() {
        CliHarness.Run r = cli.run("agent", "--net-config-path", netConf.toString());
        assertUsage(r, "--node-name", "NODE_NAME");
    }

    @Test
    void nodeNameFallsBackToDownwardApiVariableButWeftVariableWins() {
        assertThat(cli.run(Map.of("NODE_NAME", "from-downward"), "agent", "--net-config-path", netConf.toString()).code()).isZero();
        assertThat(config().nodeName()).isEqualTo("from-downward");
        assertThat(cli.run(Map.of("NODE_NAME", "from-downward", "WEFT_NODE_NAME", "from-weft"),
                "agent", "--net-config-path", netConf.toString()).code()).isZero();
        assertThat(config().nodeName()).isEqualTo("from-weft");
    }

    @Test
    void leaseNamespaceFallsBackToPodNamespace() {
        assertThat(agent(Map.of("POD_NAMESPACE", "weft")).code()).isZero();
        assertThat(config().leaseNamespace()).isEqualTo("weft");
    }

    @Test
    void netConfMustBeAReadableFile() {
        assertUsage(cli.run("agent", "--node-name", "n", "--net-config-path", tmp.resolve("absent.json").toString()),
                "--net-config-path", "absent.json", "no such file");
        assertUsage(cli.run("agent", "--node-name", "n", "--net-config-path", tmp.toString()),
                "--net-config-path", "not a regular file");
        assertUsage(cli.run(Map.of("WEFT_NET_CONFIG_PATH", "/nonexistent/net-conf.json"), "agent", "--node-name", "n"),
                "WEFT_NET_CONFIG_PATH", "/nonexistent/net-conf.json");
    }

    @Test
    void defaultNetConfPathIsCheckedToo() {
        // The default path does not exist on a build machine; the message must say which flag to use.
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(Path.of(Flags.DEFAULT_NET_CONF)));
        assertUsage(cli.run("agent", "--node-name", "n"), "--net-config-path", Flags.DEFAULT_NET_CONF);
    }

    @Test
    void kubeconfigMustExistWhenGiven() {
        assertUsage(agent("--kubeconfig", tmp.resolve("nope").toString()), "--kubeconfig", "no such file");
        assertUsage(agent("--kubeconfig-file", tmp.resolve("nope").toString()), "--kubeconfig", "no such file");
    }

    @Test
    void subnetFileMustNotBeADirectory() {
        assertUsage(agent("--subnet-file", tmp.toString()), "--subnet-file", "is a directory");
    }

    @Test
    void switchesTakeOptionalValues() {
        assertThat(agent("--ip-masq=false").code()).isZero();
        assertThat(config().ipMasq()).isFalse();
        assertThat(agent("--ip-masq", "true").code()).isZero();
        assertThat(config().ipMasq()).isTrue();
        assertThat(agent(Map.of("WEFT_IP_MASQ", "no")).code()).isZero();
        assertThat(config().ipMasq()).isFalse();
    }

    @Test
    void controlCharactersInBadValuesAreEscaped() {
        CliHarness.Run r = agent(Map.of("WEFT_HEALTHZ_PORT", "9\u001b[2J"));
        assertUsage(r, "9\\x1b[2J");
        assertThat(r.err()).doesNotContain("\u001b");
    }
}
