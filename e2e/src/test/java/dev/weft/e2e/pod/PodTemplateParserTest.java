package dev.weft.e2e.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.weft.e2e.pod.PodTemplate.ContainerSpec;
import dev.weft.e2e.pod.PodTemplate.HostPathVolume;

/** The DaemonSet → podman mapping, against deploy/weft.yaml itself and against hostile edits of it. */
class PodTemplateParserTest {
    private static final String MANIFEST = read();

    private static String read() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path f = dir.resolve("deploy/weft.yaml");
            if (Files.isRegularFile(f)) {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalStateException("no deploy/weft.yaml above the working directory");
    }

    private static PodTemplate parse(String yaml) {
        return PodTemplateParser.parse(yaml, "weft");
    }

    /** The manifest with one literal replaced; the replacement must hit, or the test would prove nothing. */
    private static String edit(String from, String to) {
        assertThat(MANIFEST).as("the manifest still contains the text this test edits").contains(from);
        return MANIFEST.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to));
    }

    @Test
    void theShippedManifestMapsOntoPodman() {
        PodTemplate t = parse(MANIFEST);
        assertThat(t.namespace()).isEqualTo("kube-weft");
        assertThat(t.initContainers()).extracting(ContainerSpec::name).containsExactly("install-cni-plugins", "install-weft-cni");
        assertThat(t.containers()).extracting(ContainerSpec::name).containsExactly("agent", "install-conflist");
        ContainerSpec agent = t.container("agent");
        assertThat(agent.security().capAdd()).containsExactly("NET_ADMIN", "NET_RAW");
        assertThat(agent.security().dropAll()).isTrue();
        assertThat(agent.security().readOnlyRootFilesystem()).isTrue();
        assertThat(agent.readiness()).contains(new PodTemplate.HttpGetProbe("/readyz", 9471));
        assertThat(t.volumes().get("cni-bin")).isEqualTo(new HostPathVolume("cni-bin", "/opt/cni/bin", "DirectoryOrCreate"));

        PodContext ctx = new PodContext("node1", "weft-node1", "198.18.0.11", Path.of("/run/netns/x"), Path.of("/w/host"),
                Path.of("/w/pod"), Map.of("KUBERNETES_SERVICE_HOST", "198.18.0.2", "KUBERNETES_SERVICE_PORT", "6443"),
                Optional.of(Path.of("/w/pod/sa")), "localhost/weft:it", "wt-1-c1-node1-", Path.of("/w/logs"));
        List<String> run = ContainerCommand.run(t, agent, ctx, true);
        assertThat(run).containsSequence("--network", "ns:/run/netns/x")
                .contains("--cap-drop=all", "--cap-add=NET_ADMIN,NET_RAW", "--read-only", "--read-only-tmpfs=false",
                        "--env", "NODE_NAME=node1", "POD_NAMESPACE=kube-weft", "KUBERNETES_SERVICE_HOST=198.18.0.2",
                        "type=bind,source=/w/host/run/flannel,destination=/run/flannel",
                        "type=bind,source=/w/pod/volumes/configmap/config,destination=/etc/kube-flannel,ro=true",
                        "type=bind,source=/w/pod/sa,destination=" + ContainerCommand.SERVICE_ACCOUNT_DIR + ",ro=true")
                .doesNotContain("--privileged")
                .containsSequence("--entrypoint", "[\"/opt/weft/agent/bin/weft\"]", "localhost/weft:it", "agent");
        assertThat(run.subList(run.indexOf("localhost/weft:it") + 1, run.size())).isEqualTo(agent.args());
        assertThat(run).containsSequence("--memory", (256L << 20) + "b");
    }

    @Test
    void aCapabilityAddedInTheManifestReachesPodman() {
        PodTemplate t = parse(edit("add: [NET_ADMIN, NET_RAW]", "add: [NET_ADMIN, NET_RAW, SYS_TIME]"));
        assertThat(t.container("agent").security().capAdd()).containsExactly("NET_ADMIN", "NET_RAW", "SYS_TIME");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown volume type         | configMap: {name: weft-config}                    | nfs: {server: x, path: /}                                     | spec.template.spec.volumes[config].nfs
            secret env source           | fieldRef: {fieldPath: metadata.namespace}         | secretKeyRef: {name: s, key: k}                               | spec.template.spec.containers[agent].env[1].valueFrom.secretKeyRef
            unknown downward field      | fieldRef: {fieldPath: spec.nodeName}              | fieldRef: {fieldPath: metadata.uid}                           | spec.template.spec.containers[agent].env[0].valueFrom.fieldRef.fieldPath
            env without a source        | fieldRef: {fieldPath: spec.nodeName}              | {}                                                            | spec.template.spec.containers[agent].env[0].valueFrom.fieldRef
            privileged container        | privileged: false\\n            allowPrivilegeEscalation: false\\n            readOnlyRootFilesystem: true\\n            capabilities:\\n              drop: [ALL]\\n              add | privileged: true\\n            allowPrivilegeEscalation: false\\n            readOnlyRootFilesystem: true\\n            capabilities:\\n              drop: [ALL]\\n              add | spec.template.spec.containers[agent].securityContext.privileged
            mount of a missing volume   | {name: run-flannel, mountPath: /run/flannel}      | {name: run-flanel, mountPath: /run/flannel}                   | spec.template.spec.containers[agent].volumeMounts[0].name
            subPath mount               | {name: tmp, mountPath: /tmp}                      | {name: tmp, mountPath: /tmp, subPath: x}                      | spec.template.spec.initContainers[install-weft-cni].volumeMounts[2].subPath
            hostPath with ..            | {path: /opt/weft, type: DirectoryOrCreate}        | {path: /opt/../etc, type: DirectoryOrCreate}                  | spec.template.spec.volumes[install-prefix].hostPath.path
            hostPath socket type        | {path: /run/xtables.lock, type: FileOrCreate}     | {path: /run/xtables.lock, type: Socket}                       | spec.template.spec.volumes[xtables-lock].hostPath.type
            configMap not in manifest   | configMap: {name: weft-config}                    | configMap: {name: somebody-elses}                             | spec.template.spec.volumes[config].configMap.name
            no host network             | hostNetwork: true                                 | hostNetwork: false                                            | spec.template.spec.hostNetwork
            unknown container field     | imagePullPolicy: IfNotPresent\\n          command: [/opt/weft/agent/bin/weft] | workingDir: /x\\n          command: [/opt/weft/agent/bin/weft] | spec.template.spec.containers[agent].workingDir
            envFrom                     | imagePullPolicy: IfNotPresent\\n          command: [/opt/weft/agent/bin/weft] | envFrom: [{configMapRef: {name: x}}]\\n          command: [/opt/weft/agent/bin/weft] | spec.template.spec.containers[agent].envFrom
            missing command             | command: [/opt/weft/agent/bin/weft]               | workingDir: /                                                 | spec.template.spec.containers[agent].workingDir
            drop list other than ALL    | drop: [ALL]\\n              add: [NET_ADMIN, NET_RAW] | drop: [SYS_ADMIN]\\n              add: [NET_ADMIN, NET_RAW] | spec.template.spec.containers[agent].securityContext.capabilities.drop
            capability spelt CAP_       | add: [NET_ADMIN, NET_RAW]                         | add: [CAP_NET_ADMIN]                                          | spec.template.spec.containers[agent].securityContext.capabilities.add
            bad memory quantity         | memory: 256Mi                                     | memory: lots                                                  | spec.template.spec.containers[agent].resources.limits.memory
            named probe port            | httpGet: {path: /readyz, port: 9471}              | httpGet: {path: /readyz, port: healthz}                       | spec.template.spec.containers[agent].readinessProbe.httpGet.port
            pod securityContext field   | seccompProfile:\\n          type: RuntimeDefault  | runAsUser: 0                                                  | spec.template.spec.securityContext.runAsUser
            other seccomp profile       | type: RuntimeDefault                              | type: Unconfined                                              | spec.template.spec.securityContext.seccompProfile.type
            hostPID                     | hostNetwork: true                                 | hostNetwork: true\\n      hostPID: true                       | spec.template.spec.hostPID
            emptyDir in memory          | emptyDir: {sizeLimit: 64Mi}                       | emptyDir: {medium: Memory}                                    | spec.template.spec.volumes[tmp].emptyDir.medium
            """)
    void aManifestTheHarnessCannotMapFailsWithThePath(String what, String from, String to, String path) {
        String yaml = edit(from.replace("\\n", "\n"), to.replace("\\n", "\n"));
        assertThatThrownBy(() -> parse(yaml)).as(what)
                .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.path()).isEqualTo(path))
                .hasMessageStartingWith(path + ": ");
    }

    @Test
    void aManifestWithoutTheDaemonSetFails() {
        assertThatThrownBy(() -> PodTemplateParser.parse(MANIFEST, "flannel"))
                .isInstanceOf(ManifestException.class).hasMessageContaining("DaemonSet/flannel: missing");
    }

    @Test
    void aMissingContainerNameFails() {
        String yaml = edit("- name: agent\n", "- nam: agent\n");
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ManifestException.class)
                .hasMessageStartingWith("spec.template.spec.containers[0].name: missing");
    }
}
