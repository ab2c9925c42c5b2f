package dev.weft.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The chart rendered with its default values: what every install gets. */
class ChartDefaultsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Manifest manifest;
    private static DaemonSet ds;

    @BeforeAll
    static void render() {
        manifest = ChartRenderer.defaults().manifest();
        ds = manifest.daemonSet("weft");
    }

    @Test
    void rendersExactlyTheAgentObjectsAndEachParsesWithoutUnknownFields() {
        assertThat(manifest.describe()).containsExactlyInAnyOrder(
                "ServiceAccount/weft", "ConfigMap/weft-config", "ConfigMap/weft-scripts",
                "ClusterRole/weft", "ClusterRoleBinding/weft", "Role/weft", "RoleBinding/weft", "DaemonSet/weft");
        assertThat(manifest.generic()).as("objects fabric8 could not type").isEmpty();
        for (HasMetadata o : manifest.objects()) {
            assertThat(UnknownFields.in(o)).as("unknown fields in %s", o.getKind()).isEmpty();
            if (!(o instanceof ClusterRole) && !(o instanceof ClusterRoleBinding)) {
                assertThat(o.getMetadata().getNamespace()).as(o.getKind()).isEqualTo(ChartRenderer.NAMESPACE);
            }
        }
    }

    @Test
    void rbacIsExactlyWhatTheAgentUses() {
        assertThat(manifest.all(ClusterRole.class)).hasSize(1);
        assertThat(manifest.all(Role.class)).hasSize(1);
        assertThat(rules(manifest.one(ClusterRole.class, "weft").getRules())).containsExactlyInAnyOrder(
                "core nodes get", "core nodes list", "core nodes watch", "core nodes patch",
                "core nodes/status patch",
                "core events create");
        Role role = manifest.one(Role.class, "weft");
        assertThat(role.getMetadata().getNamespace()).isEqualTo(ChartRenderer.NAMESPACE);
        assertThat(rules(role.getRules())).containsExactlyInAnyOrder(
                "coordination.k8s.io leases get", "coordination.k8s.io leases list",
                "coordination.k8s.io leases create", "coordination.k8s.io leases update",
                "coordination.k8s.io leases delete");
    }

    @Test
    void bindingsGrantTheRolesToTheAgentsServiceAccountOnly() {
        ClusterRoleBinding crb = manifest.one(ClusterRoleBinding.class, "weft");
        RoleBinding rb = manifest.one(RoleBinding.class, "weft");
        assertThat(crb.getRoleRef().getKind()).isEqualTo("ClusterRole");
        assertThat(crb.getRoleRef().getName()).isEqualTo("weft");
        assertThat(rb.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(rb.getRoleRef().getName()).isEqualTo("weft");
        for (List<Subject> subjects : List.of(crb.getSubjects(), rb.getSubjects())) {
            assertThat(subjects).singleElement().satisfies(s -> {
                assertThat(s.getKind()).isEqualTo("ServiceAccount");
                assertThat(s.getName()).isEqualTo(PodSpecs.of(ds).getServiceAccountName());
                assertThat(s.getNamespace()).isEqualTo(ChartRenderer.NAMESPACE);
            });
        }
    }

    @Test
    void agentHasExactlyNetAdminAndNetRawAndNothingIsPrivileged() {
        SecurityContext agent = AgentArgs.container(ds).getSecurityContext();
        assertThat(agent.getCapabilities().getAdd()).containsExactlyInAnyOrder("NET_ADMIN", "NET_RAW");
        assertThat(agent.getCapabilities().getDrop()).containsExactly("ALL");
        for (Container c : PodSpecs.allContainers(ds)) {
            SecurityContext sc = c.getSecurityContext();
            assertThat(sc).as(c.getName()).isNotNull();
            assertThat(sc.getPrivileged()).as("%s privileged", c.getName()).isFalse();
            assertThat(sc.getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
            assertThat(sc.getCapabilities().getDrop()).as(c.getName()).containsExactly("ALL");
            if (!c.getName().equals(AgentArgs.CONTAINER)) {
                // the install steps only write root-owned host directories as root: no capability
                assertThat(sc.getCapabilities().getAdd()).as("%s adds", c.getName()).isNullOrEmpty();
            }
        }
        PodSpec pod = PodSpecs.of(ds);
        assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getHostIPC()).isNotEqualTo(Boolean.TRUE);
    }

    @Test
    void probesHitTheAgentsHealthPortAndPaths() {
        Container agent = AgentArgs.container(ds);
        HTTPGetAction live = agent.getLivenessProbe().getHttpGet();
        HTTPGetAction ready = agent.getReadinessProbe().getHttpGet();
        assertThat(live.getPath()).isEqualTo("/healthz");
        assertThat(ready.getPath()).isEqualTo("/readyz");
        assertThat(live.getPort().getIntVal()).isEqualTo(9471);
        assertThat(ready.getPort().getIntVal()).isEqualTo(9471);
        assertThat(live.getHost()).as("kubelet probes the node address").isNull();
        List<String> args = AgentArgs.of(ds);
        assertThat(AgentArgs.value(args, "--healthz-port")).hasValue("9471");
        assertThat(AgentArgs.value(args, "--healthz-ip")).hasValue("0.0.0.0");
        assertThat(agent.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getContainerPort()).isEqualTo(9471);
            assertThat(p.getName()).isEqualTo("healthz");
        });
    }

    @Test
    void agentCommandLineIsTheLauncherWithTheDefaultFlags() {
        assertThat(AgentArgs.command(ds)).containsExactly("/opt/weft/agent/bin/weft");
        assertThat(AgentArgs.of(ds)).containsExactly(
                "agent",
                "--net-config-path=/etc/kube-flannel/net-conf.json",
                "--subnet-file=/run/flannel/subnet.env",
                "--healthz-ip=0.0.0.0",
                "--healthz-port=9471",
                "--annotation-prefix=flannel.alpha.coreos.com",
                "--ip-masq");
    }

    @Test
    void agentPathsPointIntoItsMounts() {
        Container agent = AgentArgs.container(ds);
        List<String> args = AgentArgs.of(ds);
        String netConf = AgentArgs.value(args, "--net-config-path").orElseThrow();
        String subnetFile = AgentArgs.value(args, "--subnet-file").orElseThrow();
        VolumeMount config = PodSpecs.mount(agent, "config").orElseThrow();
        VolumeMount runFlannel = PodSpecs.mount(agent, "run-flannel").orElseThrow();
        assertThat(netConf).isEqualTo(config.getMountPath() + "/net-conf.json");
        assertThat(manifest.configMap(configMapName(PodSpecs.volume(ds, "config"))).getData()).containsKey("net-conf.json");
        assertThat(subnetFile).startsWith(runFlannel.getMountPath() + "/");
        assertThat(runFlannel.getReadOnly()).isNotEqualTo(Boolean.TRUE);
    }

    @Test
    void podRunsOnEveryNodeInTheHostNetworkAsNodeCritical() {
        PodSpec pod = PodSpecs.of(ds);
        assertThat(pod.getHostNetwork()).isTrue();
        assertThat(pod.getPriorityClassName()).isEqualTo("system-node-critical");
        assertThat(pod.getTolerations()).singleElement().satisfies((Toleration t) -> {
            assertThat(t.getOperator()).isEqualTo("Exists");
            assertThat(t.getKey()).isNull();
            assertThat(t.getEffect()).isNull();
        });
        assertThat(pod.getNodeSelector()).isEqualTo(Map.of("kubernetes.io/os", "linux"));
        assertThat(ds.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(pod.getServiceAccountName()).isEqualTo("weft");
        assertThat(ds.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(ds.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void agentGetsNodeNameAndNamespaceFromTheDownwardApi() {
        Container agent = AgentArgs.container(ds);
        assertThat(PodSpecs.envVar(agent, "NODE_NAME").orElseThrow().getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("spec.nodeName");
        assertThat(PodSpecs.envVar(agent, "POD_NAMESPACE").orElseThrow().getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("metadata.namespace");
    }

    @Test
    void hostPathVolumesAreTheFlannelAndCniLocations() {
        assertThat(hostPath("run-flannel")).isEqualTo("/run/flannel DirectoryOrCreate");
        assertThat(hostPath("cni-bin")).isEqualTo("/opt/cni/bin DirectoryOrCreate");
        assertThat(hostPath("cni-conf")).isEqualTo("/etc/cni/net.d DirectoryOrCreate");
        assertThat(hostPath("install-prefix")).isEqualTo("/opt/weft DirectoryOrCreate");
        assertThat(hostPath("xtables-lock")).isEqualTo("/run/xtables.lock FileOrCreate");
        assertThat(hostPath("lib-modules")).isEqualTo("/lib/modules null");
        Container agent = AgentArgs.container(ds);
        assertThat(PodSpecs.mount(agent, "lib-modules").orElseThrow().getReadOnly()).isTrue();
        assertThat(PodSpecs.mount(agent, "xtables-lock").orElseThrow().getMountPath()).isEqualTo("/run/xtables.lock");
    }

    @Test
    void installStepsRunBeforeTheAgentAndOnlyTheSidecarWritesTheConflist() {
        PodSpec pod = PodSpecs.of(ds);
        assertThat(PodSpecs.names(pod.getInitContainers())).containsExactly("install-cni-plugins", "install-weft-cni");
        assertThat(PodSpecs.names(pod.getContainers())).containsExactly("agent", "install-conflist");
        // init containers finish before the agent starts, so none of them may touch the conf dir
        for (Container init : pod.getInitContainers()) {
            assertThat(PodSpecs.mount(init, "cni-conf")).as(init.getName()).isEmpty();
        }
        // the agent container sees it read-only, at the path `weft doctor` checks by default
        assertThat(PodSpecs.mount(AgentArgs.container(ds), "cni-conf")).hasValueSatisfying(m -> {
            assertThat(m.getReadOnly()).isTrue();
            assertThat(m.getMountPath()).isEqualTo("/etc/cni/net.d");
        });
        Container sidecar = PodSpecs.container(ds, "install-conflist");
        assertThat(PodSpecs.mount(sidecar, "cni-conf")).isPresent();
        assertThat(PodSpecs.mount(sidecar, "run-flannel").orElseThrow().getReadOnly()).isTrue();
        assertThat(PodSpecs.env(sidecar)).containsEntry("SUBNET_FILE", "/run/flannel/subnet.env");
        // the sidecar is Ready only once the file its script writes exists
        assertThat(sidecar.getReadinessProbe().getExec().getCommand())
                .containsExactly("/bin/sh", "-c", "test -s " + PodSpecs.env(sidecar).get("CNI_CONF_DIR") + "/10-weft.conflist");
    }

    @Test
    void hostFacingEnvPointsIntoTheMatchingVolume() {
        Map<String, String> volumeOfEnv = Map.of(
                "CNI_BIN_DIR", "cni-bin", "CNI_CONF_DIR", "cni-conf", "SUBNET_FILE", "run-flannel",
                "CONFLIST_SRC", "config", "INSTALL_PREFIX", "install-prefix");
        int checked = 0;
        for (Container c : PodSpecs.allContainers(ds)) {
            for (Map.Entry<String, String> e : PodSpecs.env(c).entrySet()) {
                String volume = volumeOfEnv.get(e.getKey());
                if (volume != null) {
                    String mountPath = PodSpecs.mount(c, volume).orElseThrow(
                            () -> new AssertionError(c.getName() + " lacks volume " + volume)).getMountPath();
                    assertThat(e.getValue()).as("%s %s", c.getName(), e.getKey())
                            .satisfiesAnyOf(v -> assertThat(v).isEqualTo(mountPath),
                                    v -> assertThat(v).startsWith(mountPath + "/"));
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(4);
    }

    @Test
    void scriptsTheContainersRunExistInTheScriptsConfigMap() {
        Map<String, String> scripts = manifest.configMap("weft-scripts").getData();
        int checked = 0;
        for (Container c : PodSpecs.allContainers(ds)) {
            List<String> cmd = c.getCommand();
            if (cmd.size() == 2 && cmd.get(0).equals("/bin/sh")) {
                String mountPath = PodSpecs.mount(c, "scripts").orElseThrow().getMountPath();
                assertThat(cmd.get(1)).startsWith(mountPath + "/");
                assertThat(scripts).containsKey(cmd.get(1).substring(mountPath.length() + 1));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(2);
        assertThat(PodSpecs.volume(ds, "scripts").getConfigMap().getName()).isEqualTo("weft-scripts");
        assertThat(PodSpecs.volume(ds, "scripts").getConfigMap().getDefaultMode()).isEqualTo(0555);
    }

    @Test
    void resourcesAreTheInitialSizing() {
        var res = AgentArgs.container(ds).getResources();
        assertThat(res.getRequests()).containsEntry("cpu", new Quantity("50m")).containsEntry("memory", new Quantity("160Mi"));
        assertThat(res.getLimits()).containsOnlyKeys("memory").containsEntry("memory", new Quantity("256Mi"));
        for (Container c : PodSpecs.allContainers(ds)) {
            assertThat(c.getResources().getLimits()).as(c.getName()).containsKey("memory");
        }
    }

    @Test
    void netConfIsTheDefaultNetworkWithVxlan() throws Exception {
        JsonNode netConf = JSON.readTree(manifest.configMap("weft-config").getData().get("net-conf.json"));
        assertThat(netConf).isEqualTo(JSON.readTree("{\"Network\":\"10.42.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}"));
    }

    @Test
    void conflistIsWeftThenPortmap() throws Exception {
        JsonNode conflist = JSON.readTree(manifest.configMap("weft-config").getData().get("cni-conf.json"));
        assertThat(conflist).isEqualTo(JSON.readTree("""
                {"cniVersion": "1.0.0", "name": "weft", "plugins": [
                  {"type": "weft", "delegate": {"hairpinMode": true, "isDefaultGateway": true}},
                  {"type": "portmap", "capabilities": {"portMappings": true}}]}"""));
    }

    @Test
    void everyContainerUsesTheChartsImage() {
        for (Container c : PodSpecs.allContainers(ds)) {
            assertThat(c.getImage()).as(c.getName()).isEqualTo("localhost/weft:0.1.0");
            assertThat(c.getImagePullPolicy()).as(c.getName()).isEqualTo("IfNotPresent");
        }
    }

    private static String hostPath(String volume) {
        Volume v = PodSpecs.volume(ds, volume);
        return v.getHostPath().getPath() + " " + v.getHostPath().getType();
    }

    private static String configMapName(Volume v) {
        return v.getConfigMap().getName();
    }

    /** "group resource verb" triples; "core" for the "" group. Any other rule field is an error. */
    static Set<String> rules(List<PolicyRule> rules) {
        Set<String> out = new TreeSet<>();
        for (PolicyRule r : rules) {
            assertThat(r.getResourceNames()).as("resourceNames").isNullOrEmpty();
            assertThat(r.getNonResourceURLs()).as("nonResourceURLs").isNullOrEmpty();
            for (String g : r.getApiGroups()) {
                for (String res : r.getResources()) {
                    for (String verb : r.getVerbs()) {
                        boolean added = out.add((g.isEmpty() ? "core" : g) + " " + res + " " + verb);
                        assertThat(added).as("duplicate grant %s %s %s", g, res, verb).isTrue();
                    }
                }
            }
        }
        return out;
    }
}
