package dev.weft.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The chart with non-default values: the k3s preset, each option, the optional parts, the schema. */
class ChartValuesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void k3sPresetUsesContainerdsDefaultCniDirsAndK3sClusterCidr() throws Exception {
        Manifest m = ChartRenderer.defaults().valuesFile(RepoPaths.k3sValues()).manifest();
        DaemonSet ds = m.daemonSet("weft");

        assertThat(PodSpecs.volume(ds, "cni-bin").getHostPath().getPath()).isEqualTo("/opt/cni/bin");
        assertThat(PodSpecs.volume(ds, "cni-conf").getHostPath().getPath()).isEqualTo("/etc/cni/net.d");
        assertThat(netConf(m).get("Network").asText()).isEqualTo("10.42.0.0/16");
        assertThat(AgentArgs.of(ds)).contains("--ip-masq");
        for (HasMetadata o : m.objects()) {
            assertThat(UnknownFields.in(o)).as(o.getKind()).isEmpty();
        }
    }

    @Test
    void agentOptionsBecomeFlags() {
        DaemonSet ds = ChartRenderer.defaults()
                .set("iface[0]", "eth0").set("iface[1]", "10.0.0.5")
                .set("ifaceRegex", "^en[a-z0-9]+$")
                .set("ifaceCanReach", "198.51.100.1")
                .set("deviceName", "weft.7")
                .set("resyncPeriod", "30s")
                .set("disableTxChecksumOffload", true)
                .set("logFormat", "json")
                .set("logLevel", "debug")
                .set("ipMasq", false)
                .set("annotationPrefix", "weft.example.org")
                .set("extraArgs[0]", "--public-ip=198.51.100.7")
                .manifest().daemonSet("weft");

        assertThat(AgentArgs.of(ds)).containsExactly(
                "agent",
                "--net-config-path=/etc/kube-flannel/net-conf.json",
                "--subnet-file=/run/flannel/subnet.env",
                "--healthz-ip=0.0.0.0",
                "--healthz-port=9471",
                "--annotation-prefix=weft.example.org",
                "--iface=eth0",
                "--iface=10.0.0.5",
                "--iface-regex=^en[a-z0-9]+$",
                "--iface-can-reach=198.51.100.1",
                "--device-name=weft.7",
                "--resync-period=30s",
                "--disable-tx-checksum-offload",
                "--log-format=json",
                "--log-level=debug",
                "--public-ip=198.51.100.7");
    }

    @Test
    void backendAndNetworkValuesGoIntoNetConfOnlyWhenSet() throws Exception {
        Manifest m = ChartRenderer.defaults()
                .set("podCidr", "10.244.0.0/16")
                .set("subnetLen", 26)
                .set("backend.vni", 4096).set("backend.port", 4789).set("backend.mtu", 1400)
                .set("backend.directRouting", true).set("backend.gbp", false)
                .set("extraNetConf.SubnetMin", "10.244.8.0")
                .manifest();

        assertThat(netConf(m)).isEqualTo(JSON.readTree("""
                {"Network": "10.244.0.0/16", "SubnetLen": 26, "SubnetMin": "10.244.8.0",
                 "Backend": {"Type": "vxlan", "VNI": 4096, "Port": 4789, "MTU": 1400,
                             "DirectRouting": true, "GBP": false}}"""));
    }

    @Test
    void healthPortMovesProbesFlagAndContainerPortTogether() {
        DaemonSet ds = ChartRenderer.defaults().set("healthz.port", 9555).set("healthz.bindAddress", "198.51.100.7")
                .manifest().daemonSet("weft");
        Container agent = AgentArgs.container(ds);

        assertThat(agent.getLivenessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(9555);
        assertThat(agent.getReadinessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(9555);
        assertThat(agent.getPorts().getFirst().getContainerPort()).isEqualTo(9555);
        assertThat(AgentArgs.value(AgentArgs.of(ds), "--healthz-port")).hasValue("9555");
        assertThat(AgentArgs.value(AgentArgs.of(ds), "--healthz-ip")).hasValue("198.51.100.7");
    }

    @Test
    void customCniDirsChangeOnlyTheHostSide() {
        DaemonSet ds = ChartRenderer.defaults()
                .set("cni.binDir", "/var/lib/rancher/k3s/data/cni")
                .set("cni.confDir", "/var/lib/rancher/k3s/agent/etc/cni/net.d")
                .set("cni.installPrefix", "/var/lib/weft")
                .manifest().daemonSet("weft");
        Container installer = PodSpecs.container(ds, "install-weft-cni");

        assertThat(PodSpecs.volume(ds, "cni-bin").getHostPath().getPath()).isEqualTo("/var/lib/rancher/k3s/data/cni");
        assertThat(PodSpecs.volume(ds, "cni-conf").getHostPath().getPath())
                .isEqualTo("/var/lib/rancher/k3s/agent/etc/cni/net.d");
        assertThat(PodSpecs.volume(ds, "install-prefix").getHostPath().getPath()).isEqualTo("/var/lib/weft");
        // the shim launcher runs its runtime from the prefix, so the prefix keeps its host path
        assertThat(PodSpecs.mount(installer, "install-prefix").orElseThrow().getMountPath()).isEqualTo("/var/lib/weft");
        assertThat(installer.getCommand()).containsExactly(
                "/usr/share/weft/cni-bundle/install.sh", "--prefix", "/var/lib/weft", "--cni-bin-dir", "/host/cni/bin");
        assertThat(PodSpecs.mount(installer, "cni-bin").orElseThrow().getMountPath()).isEqualTo("/host/cni/bin");
    }

    @Test
    void imageValuesApplyToEveryContainer() {
        DaemonSet ds = ChartRenderer.defaults().set("image.repository", "registry.example/weft")
                .set("image.tag", "1.2.3").set("image.pullPolicy", "Always").manifest().daemonSet("weft");

        assertThat(PodSpecs.allContainers(ds)).hasSize(4).allSatisfy(c -> {
            assertThat(c.getImage()).isEqualTo("registry.example/weft:1.2.3");
            assertThat(c.getImagePullPolicy()).isEqualTo("Always");
        });
    }

    @Test
    void serviceMonitorScrapesTheHealthPortThroughAHeadlessService() {
        Manifest m = ChartRenderer.defaults().set("serviceMonitor.enabled", true)
                .set("serviceMonitor.labels.release", "prometheus").manifest();
        Service svc = m.one(Service.class, "weft-metrics");
        DaemonSet ds = m.daemonSet("weft");

        assertThat(svc.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(ds.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(svc.getSpec().getSelector());
        assertThat(svc.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("metrics");
            assertThat(p.getPort()).isEqualTo(9471);
        });
        GenericKubernetesResource sm = m.generic().stream().filter(o -> o.getKind().equals("ServiceMonitor"))
                .findFirst().orElseThrow();
        assertThat(sm.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(sm.getMetadata().getLabels()).containsEntry("release", "prometheus");
        assertThat(sm.<Map<String, String>>get("spec", "selector", "matchLabels")).isEqualTo(svc.getMetadata().getLabels()
                .entrySet().stream().filter(e -> svc.getSpec().getSelector().containsKey(e.getKey()))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        assertThat(sm.<String>get("spec", "endpoints", 0, "port")).isEqualTo("metrics");
        assertThat(sm.<String>get("spec", "endpoints", 0, "path")).isEqualTo("/metrics");
    }

    @Test
    void createNamespaceAddsItWithThePrivilegedPodSecurityLevel() {
        Namespace ns = ChartRenderer.defaults().set("createNamespace", true).manifest()
                .one(Namespace.class, ChartRenderer.NAMESPACE);

        assertThat(ns.getMetadata().getLabels()).containsEntry("pod-security.kubernetes.io/enforce", "privileged");
    }

    @Test
    void cleanupModeReplacesTheAgentWithAPerNodeCleanupAndDropsApiAccess() {
        Manifest m = ChartRenderer.defaults().set("mode", "cleanup").manifest();
        DaemonSet ds = m.daemonSet("weft-cleanup");

        assertThat(m.describe()).containsExactlyInAnyOrder(
                "ConfigMap/weft-config", "ConfigMap/weft-scripts", "DaemonSet/weft-cleanup");
        assertThat(PodSpecs.names(PodSpecs.of(ds).getInitContainers())).containsExactly("cleanup-node", "remove-host-files");
        assertThat(PodSpecs.of(ds).getAutomountServiceAccountToken()).isFalse();
        assertThat(PodSpecs.of(ds).getHostNetwork()).isTrue();
        Container cleanup = PodSpecs.container(ds, "cleanup-node");
        assertThat(cleanup.getSecurityContext().getCapabilities().getAdd()).containsExactlyInAnyOrder("NET_ADMIN", "NET_RAW");
        assertThat(PodSpecs.env(cleanup)).containsEntry("WEFT", "/opt/weft/agent/bin/weft")
                .containsEntry("HEALTHZ_HOST", "127.0.0.1").containsEntry("HEALTHZ_PORT", "9471");
        for (Container c : PodSpecs.allContainers(ds)) {
            assertThat(c.getSecurityContext().getPrivileged()).as(c.getName()).isFalse();
            if (!c.getName().equals("cleanup-node")) {
                assertThat(c.getSecurityContext().getCapabilities().getAdd()).as(c.getName()).isNullOrEmpty();
            }
        }
        for (HasMetadata o : m.objects()) {
            assertThat(UnknownFields.in(o)).as(o.getKind()).isEmpty();
        }
    }

    /** A wrong value must fail the render with the schema's message, and a right one for the same key must not. */
    @ParameterizedTest(name = "{0}={1} is rejected, {0}={3} renders")
    @CsvSource(delimiter = '|', textBlock = """
            healthz.port          | abc        | got string, want integer      | 9000
            healthz.port          | 70000      | maximum                       | 9000
            mode                  | uninstall  | value must be one of          | cleanup
            podCidr               | 10.42.0.0  | does not match pattern        | 10.244.0.0/16
            ipMasq                | yes        | got string, want boolean      | false
            backend.vni           | 0          | minimum                       | 7
            backend.type          | host-gw    | value must be 'vxlan'         | vxlan
            cni.binDir            | opt/cni    | does not match pattern        | /usr/libexec/cni
            image.pullPolicy      | Sometimes  | value must be one of          | Never
            resyncPeriod          | often      | does not match pattern        | 5m
            logFormat             | xml        | value must be one of          | text
            extraArgs[0]          | public-ip  | does not match pattern        | --public-ip=198.51.100.2
            ifaceCanRech          | 1.2.3.4    | additional properties         | """)
    void schemaRejectsBadValues(String key, String bad, String message, String good) {
        assertThatThrownBy(() -> ChartRenderer.defaults().set(key, bad).yaml())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(message);
        if (good != null) {
            assertThat(ChartRenderer.defaults().set(key, good).manifest().objects()).isNotEmpty();
        }
    }

    private static JsonNode netConf(Manifest m) throws Exception {
        return JSON.readTree(m.configMap("weft-config").getData().get("net-conf.json"));
    }
}
