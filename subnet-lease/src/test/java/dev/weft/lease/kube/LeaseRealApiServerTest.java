package dev.weft.lease.kube;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * {@link LeaseScenarios} against a real kube-apiserver (with etcd) started by fabric8's kube-api-test. It needs the
 * etcd and kube-apiserver binaries: they are used from kube-api-test's directory ({@code $KUBE_API_TEST_DIR}, default
 * {@code ~/.kubeapitest/k8s/}) when present, and downloaded only when {@code WEFT_KUBE_API_TEST_DOWNLOAD=true} (tests
 * send no traffic beyond 127.0.0.1 unless asked). Without either, every test here is skipped, saying so; this is the
 * one suite CI may skip.
 */
class LeaseRealApiServerTest extends LeaseScenarios {
  private static final String NAMESPACE = "weft-system";
  private static final List<KubernetesClient> CLIENTS = new CopyOnWriteArrayList<>();
  private static KubeAPIServer server;
  private static String kubeconfig;
  private static KubernetesClient admin;
  private static String skipReason;

  @BeforeAll
  static void startApiServer() throws IOException {
    Path dir = Path.of(System.getenv().getOrDefault(KubeAPIServerConfigBuilder.KUBE_API_TEST_DIR,
        Path.of(System.getProperty("user.home"), KubeAPIServerConfigBuilder.DIRECTORY_NAME).toString()));
    boolean local = hasBinaries(dir.resolve("k8s"));
    boolean download = "true".equals(System.getenv("WEFT_KUBE_API_TEST_DOWNLOAD"));
    if (!local && !download) {
      skipReason = "skipped: no kube-apiserver/etcd binaries in " + dir.resolve("k8s") + " and downloading is off;"
          + " on a connected machine set WEFT_KUBE_API_TEST_DOWNLOAD=true (or install them there) to run the lease"
          + " tests against a real kube-apiserver";
      System.err.println("LeaseRealApiServerTest " + skipReason);
      return;
    }
    server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withOfflineMode(!download)
        .withUpdateKubeConfig(false) // never touch the user's ~/.kube/config
        .build());
    server.start();
    kubeconfig = server.getKubeConfigYaml();
    admin = client(b -> { });
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
  }

  private static boolean hasBinaries(Path k8s) throws IOException {
    if (!Files.isDirectory(k8s)) {
      return false;
    }
    try (Stream<Path> versions = Files.list(k8s)) {
      return versions.anyMatch(v -> Files.isExecutable(v.resolve("kube-apiserver")) && Files.isExecutable(v.resolve("etcd")));
    }
  }

  private static KubernetesClient client(Consumer<KubernetesClientBuilder> customizer) {
    Config config = Config.fromKubeconfig(kubeconfig);
    config.setNamespace(NAMESPACE);
    config.setRequestRetryBackoffLimit(0);
    KubernetesClientBuilder b = new KubernetesClientBuilder().withConfig(config);
    customizer.accept(b);
    KubernetesClient c = b.build();
    CLIENTS.add(c);
    return c;
  }

  @AfterAll
  static void stopApiServer() {
    CLIENTS.forEach(KubernetesClient::close);
    if (server != null) {
      server.stop();
    }
  }

  @BeforeEach
  void emptyCluster() {
    Assumptions.assumeTrue(skipReason == null, skipReason); // reported per test, so the skip is visible in the report
    admin.nodes().delete();
    admin.leases().inNamespace(NAMESPACE).delete();
  }

  @Override
  protected KubernetesClient newClient(Consumer<KubernetesClientBuilder> customizer) {
    return client(customizer);
  }

  @Override
  protected KubernetesClient admin() {
    return admin;
  }

  @Override
  protected String namespace() {
    return NAMESPACE;
  }

  @Override
  protected int raceAgents() {
    return 50;
  }
}
