package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.weft.e2e.cluster.Cluster;
import dev.weft.e2e.cluster.ClusterSpec;
import dev.weft.e2e.cluster.Connectivity;
import dev.weft.e2e.cluster.ExternalApi;
import dev.weft.e2e.cluster.Node;
import dev.weft.e2e.cluster.Pod;
import dev.weft.net.IpPrefix;
import dev.weft.testing.KernelTest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness pointed at an existing cluster's kubeconfig. The "existing cluster" is fabric8's
 * mock server in CRUD mode over HTTPS on the machine's loopback, as kind or k3s serve theirs; the
 * kubeconfig carries its self-signed certificate as CA data (verified, not trust-all) and a token,
 * as a real one would.
 */
@KernelTest
class ExternalApiClusterIT {
    private MockWebServer web;
    private KubernetesMockServer server;
    private KubernetesClient admin;

    @BeforeEach
    void startHttpsApiServer() {
        web = new MockWebServer();
        server = new KubernetesMockServer(new Context(), web, new HashMap<>(), new KubernetesCrudDispatcher(), true);
        server.init(InetAddress.getLoopbackAddress(), 0);
        admin = server.createClient();
    }

    @AfterEach
    void stopApiServer() {
        admin.close();
        server.destroy();
    }

    @Test
    void agentsReachTheApiThroughNamespaceForwardersAndTheirNodesGoAway(@TempDir Path dir) throws Exception {
        String token = "e2e-secret-" + UUID.randomUUID();
        Path kubeconfig = writeKubeconfig(dir, token);
        ClusterSpec spec = ClusterSpec.forTest(2, 1).withExternalApi(kubeconfig);
        List<String> names;
        try (Cluster c = Cluster.start(spec)) {
            assertThatThrownBy(c::api).as("no mock API server process").isInstanceOf(IllegalStateException.class);
            assertThat(c.kubeconfig()).as("agents use the kubeconfig unchanged").isEqualTo(kubeconfig.toAbsolutePath());

            names = c.nodes().stream().map(Node::name).toList();
            assertThat(names).containsExactly(spec.prefix() + "node1", spec.prefix() + "node2");
            String annotations = c.externalApi().orElseThrow().annotationPrefix() + "/";
            for (Node n : c.nodes()) {
                var node = admin.nodes().withName(n.name()).get();
                assertThat(node.getMetadata().getLabels()).containsEntry(ExternalApi.RUN_LABEL, spec.runId());
                assertThat(IpPrefix.parseCidr(ClusterSpec.EXTERNAL_NETWORK).contains(IpPrefix.parseCidr(node.getSpec().getPodCIDR())))
                        .as("%s's podCIDR %s", n, node.getSpec().getPodCIDR()).isTrue();
                assertThat(node.getMetadata().getAnnotations())
                        .as("the agent published under the run's own prefix, nothing under flannel's")
                        .containsEntry(annotations + "public-ip", n.underlayIp())
                        .doesNotContainKey(DataPlane.PREFIX + "public-ip");
            }

            Pod a = c.podsOn(c.node(1)).getFirst();
            Pod b = c.podsOn(c.node(2)).getFirst();
            assertThat(Connectivity.ping(a.ns(), b.ip(), 5)).as("%s -> %s", a, b).isTrue();
            assertThat(Connectivity.ping(b.ns(), a.ip(), 5)).as("%s -> %s", b, a).isTrue();

            for (Node n : c.nodes()) {
                assertThat(Files.readString(n.agentLog())).as("%s's log", n).doesNotContain(token);
            }
        }
        for (String name : names) {
            assertThat(admin.nodes().withName(name).get()).as("Node %s after close()", name).isNull();
        }
        assertThat(admin.nodes().withLabel(ExternalApi.RUN_LABEL, spec.runId()).list().getItems()).isEmpty();
        assertThat(admin.leases().inNamespace(Node.LEASE_NAMESPACE).list().getItems())
                .noneMatch(l -> names.contains(l.getSpec().getHolderIdentity()));
    }

    /** A kubeconfig as kind writes one: https on 127.0.0.1, the server's CA inline, a credential inline. */
    private Path writeKubeconfig(Path dir, String token) throws Exception {
        String caPem = Files.readString(Path.of(web.getSelfSignedCertificate().certificatePath()));
        String caData = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII));
        Path f = dir.resolve("kubeconfig");
        Files.writeString(f, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: e2e
                  cluster:
                    server: https://127.0.0.1:%d
                    certificate-authority-data: %s
                users:
                - name: e2e
                  user:
                    token: %s
                contexts:
                - name: e2e
                  context: {cluster: e2e, user: e2e}
                current-context: e2e
                """.formatted(web.getPort(), caData, token));
        return f;
    }
}
