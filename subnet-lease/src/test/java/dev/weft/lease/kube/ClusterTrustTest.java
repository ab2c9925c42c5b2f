package dev.weft.lease.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API client's trust over real TLS: a server on 127.0.0.1 with self-signed certificates made by the JDK's keytool.
 * The configured CA alone is trusted, host names are still verified, and a config without a CA trusts the JVM's roots.
 */
class ClusterTrustTest {
  private static final String PASS = "weft-test";
  private static final String NODE = """
      {"apiVersion":"v1","kind":"Node","metadata":{"name":"n1","resourceVersion":"7"},"spec":{"podCIDR":"10.42.3.0/24"}}""";

  @TempDir static Path dir;
  private static HttpsServer server;
  private static final AtomicInteger requests = new AtomicInteger();

  /** Certificates: {@code good} (the server's, for IP 127.0.0.1), {@code other} (unrelated), {@code wrongHost} (127.0.0.2). */
  @BeforeAll
  static void startServer() throws Exception {
    for (String[] c : List.of(new String[] {"good", "ip:127.0.0.1"}, new String[] {"other", "ip:127.0.0.1"},
        new String[] {"wronghost", "ip:127.0.0.2"})) {
      keytool("-genkeypair", "-alias", c[0], "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=weft-" + c[0],
          "-ext", "SAN=" + c[1], "-validity", "2", "-keystore", dir.resolve(c[0] + ".p12").toString(),
          "-storetype", "PKCS12", "-storepass", PASS, "-keypass", PASS);
      keytool("-exportcert", "-rfc", "-alias", c[0], "-keystore", dir.resolve(c[0] + ".p12").toString(),
          "-storepass", PASS, "-file", dir.resolve(c[0] + ".pem").toString());
    }
    server = https("good");
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void theClusterCaAloneIsTrusted() throws Exception {
    Config config = Config.empty();
    config.setCaCertData(Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("good.pem"))));
    X509TrustManager trust = x509(ClusterTrust.trustManagers(config));
    assertThat(trust.getAcceptedIssuers()).hasSize(1);
    assertThat(trust.getAcceptedIssuers()[0].getSubjectX500Principal().getName()).isEqualTo("CN=weft-good");
  }

  @Test
  void withoutACaTheJvmRootsAreTrusted() {
    X509TrustManager trust = x509(ClusterTrust.trustManagers(Config.empty()));
    assertThat(trust).isInstanceOf(ClusterTrust.JvmRoots.class);
    assertThat(trust.getAcceptedIssuers()).as("the JVM's public roots").hasSizeGreaterThan(10);
  }

  @Test
  void aCaFileWithoutCertificatesIsAnErrorNamingIt() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty-ca.crt"), "not a certificate\n");
    Config config = Config.empty();
    config.setCaCertFile(empty.toString());
    assertThatThrownBy(() -> ClusterTrust.trustManagers(config)).isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining(empty.toString());
  }

  @Test
  void aClientWithTheServersCaTalksToIt() throws Exception {
    int before = requests.get();
    try (KubernetesClient c = KubeClients.create(Optional.of(kubeconfig("good", "ca-file")))) {
      assertThat(c.nodes().withName("n1").get().getSpec().getPodCIDR()).isEqualTo("10.42.3.0/24");
    }
    try (KubernetesClient c = KubeClients.create(Optional.of(kubeconfig("good", "ca-data")))) {
      assertThat(c.nodes().withName("n1").get().getMetadata().getResourceVersion()).isEqualTo("7");
    }
    assertThat(requests.get() - before).isEqualTo(2);
  }

  @Test
  void aClientWithAnotherCaIsRefused() throws Exception {
    int before = requests.get();
    try (KubernetesClient c = KubeClients.create(Optional.of(kubeconfig("other", "ca-data")))) {
      assertThatThrownBy(() -> c.nodes().withName("n1").get()).isInstanceOf(KubernetesClientException.class);
    }
    assertThat(requests.get()).as("no request got through").isEqualTo(before);
  }

  @Test
  void theHostNameIsStillVerified() throws Exception {
    HttpsServer wrong = https("wronghost");
    try {
      Path kubeconfig = kubeconfig("wronghost", "ca-data", wrong.getAddress().getPort());
      int before = requests.get();
      try (KubernetesClient c = KubeClients.create(Optional.of(kubeconfig))) {
        assertThatThrownBy(() -> c.nodes().withName("n1").get()).isInstanceOf(KubernetesClientException.class);
      }
      assertThat(requests.get()).as("a certificate for 127.0.0.2 does not do for 127.0.0.1").isEqualTo(before);
    } finally {
      wrong.stop(0);
    }
  }

  @Test
  void insecureSkipTlsVerifyIsKept() throws Exception {
    Path kubeconfig = Files.writeString(dir.resolve("insecure-kubeconfig"), """
        apiVersion: v1
        kind: Config
        clusters:
        - name: t
          cluster: {server: "https://127.0.0.1:%d", insecure-skip-tls-verify: true}
        contexts:
        - name: t
          context: {cluster: t, user: u}
        current-context: t
        users:
        - name: u
          user: {}
        """.formatted(server.getAddress().getPort()));
    try (KubernetesClient c = KubeClients.create(Optional.of(kubeconfig))) {
      assertThat(c.nodes().withName("n1").get().getMetadata().getName()).isEqualTo("n1");
    }
  }

  private static Path kubeconfig(String ca, String form) throws Exception {
    return kubeconfig(ca, form, server.getAddress().getPort());
  }

  private static Path kubeconfig(String ca, String form, int port) throws Exception {
    Path pem = dir.resolve(ca + ".pem");
    String caLine = form.equals("ca-file") ? "certificate-authority: " + pem
        : "certificate-authority-data: " + Base64.getEncoder().encodeToString(Files.readAllBytes(pem));
    return Files.writeString(dir.resolve("kubeconfig-" + ca + "-" + form + "-" + port), """
        apiVersion: v1
        kind: Config
        clusters:
        - name: t
          cluster:
            server: "https://127.0.0.1:%d"
            %s
        contexts:
        - name: t
          context: {cluster: t, user: u}
        current-context: t
        users:
        - name: u
          user: {token: not-a-secret}
        """.formatted(port, caLine));
  }

  private static HttpsServer https(String cert) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve(cert + ".p12"))) {
      store.load(in, PASS.toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, PASS.toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);
    HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s.setHttpsConfigurator(new HttpsConfigurator(tls));
    s.createContext("/api/v1/nodes/n1", exchange -> {
      requests.incrementAndGet();
      byte[] body = NODE.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    s.start();
    return s;
  }

  private static X509TrustManager x509(TrustManager[] managers) {
    assertThat(managers).hasSize(1);
    return (X509TrustManager) managers[0];
  }

  private static void keytool(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + out);
    }
  }
}
