package dev.weft.lease.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeClientsTest {
  private final MockApi api = new MockApi();
  private final KubernetesClient client = api.client();

  @TempDir Path dir;

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void nodeNameFromTheEnvironment() {
    assertThat(KubeClients.nodeName(Map.of("NODE_NAME", "worker-1.example"), client)).isEqualTo("worker-1.example");
    assertThatThrownBy(() -> KubeClients.nodeName(Map.of("NODE_NAME", "Bad_Name"), client))
        .hasMessageContaining("NODE_NAME").hasMessageContaining("\"Bad_Name\"");
  }

  @Test
  void nodeNameFromThePodsOwnSpec() {
    client.pods().inNamespace("weft-system").resource(new PodBuilder().withNewMetadata().withName("weft-abcde").endMetadata()
        .withNewSpec().withNodeName("worker-7").endSpec().build()).create();
    assertThat(KubeClients.nodeName(Map.of("HOSTNAME", "weft-abcde", "POD_NAMESPACE", "weft-system"), client))
        .isEqualTo("worker-7");
    assertThat(KubeClients.nodeName(Map.of("POD_NAME", "weft-abcde"), client)).as("namespace from the client")
        .isEqualTo("worker-7");
  }

  @Test
  void missingNodeNameSaysWhatToSet() {
    assertThatThrownBy(() -> KubeClients.nodeName(Map.of(), client)).hasMessageContaining("NODE_NAME")
        .hasMessageContaining("spec.nodeName");
    assertThatThrownBy(() -> KubeClients.nodeName(Map.of("POD_NAME", "ghost"), client)).hasMessageContaining("ghost");
  }

  @Test
  void podNamespace() {
    assertThat(KubeClients.podNamespace(Map.of("POD_NAMESPACE", "kube-flannel"), client)).isEqualTo("kube-flannel");
    assertThat(KubeClients.podNamespace(Map.of(), client)).isEqualTo("weft-system");
    assertThatThrownBy(() -> KubeClients.podNamespace(Map.of("POD_NAMESPACE", "../etc"), client))
        .hasMessageContaining("POD_NAMESPACE");
  }

  /**
   * fabric8 would load every model class on the class path to parse a kubeconfig (and the AOT cache would keep them);
   * a child JVM shows that reading one, with a minikube-style extension, loads none of the API groups weft never uses.
   */
  @Test
  void readingAKubeconfigLoadsNoUnusedModelClasses() throws Exception {
    Path kubeconfig = Files.writeString(dir.resolve("kubeconfig-ext"), """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster:
            server: http://127.0.0.1:9
            extensions:
            - name: cluster_info
              extension: {last-update: "Thu, 03 Dec 2026 10:00:00 UTC", provider: minikube.sigs.k8s.io, version: v1.36.0}
        contexts:
        - name: mock
          context: {cluster: mock, user: test, namespace: probe-ns}
        current-context: mock
        users:
        - name: test
          user: {token: not-a-secret}
        """);
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xlog:class+load=info", "-cp", System.getProperty("java.class.path"), KubeconfigProbe.class.getName(),
        kubeconfig.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out.lines().filter(l -> !l.startsWith("[")).toList().toString()).isZero();
    assertThat(out).contains("probe namespace probe-ns");
    // (apps, batch and certificates classes are the client's own default handlers, loaded either way)
    assertThat(out.lines().filter(l -> l.matches(".* io\\.fabric8\\.kubernetes\\.api\\.model\\."
        + "(admissionregistration|gatewayapi|flowcontrol|networking|resource|storage|policy|rbac)\\..*")).toList())
        .isEmpty();
  }

  @Test
  void clientFromAKubeconfigFile() throws Exception {
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster:
            server: %s
        contexts:
        - name: mock
          context: {cluster: mock, user: test, namespace: weft-system}
        current-context: mock
        users:
        - name: test
          user: {token: not-a-secret}
        """.formatted(api.url()));
    TestNodes.create(client, "n1");
    try (KubernetesClient c = KubeClients.create(Optional.of(kubeconfig))) {
      assertThat(c.nodes().list().getItems()).extracting(n -> n.getMetadata().getName()).containsExactly("n1");
      assertThat(c.getNamespace()).isEqualTo("weft-system");
      assertThat(c.getConfiguration().getRequestRetryBackoffLimit()).isEqualTo(1);
    }
  }

  @Test
  void aMissingKubeconfigIsAClearError() {
    assertThatThrownBy(() -> KubeClients.create(Optional.of(dir.resolve("nope")))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nope");
  }
}
