package dev.weft.lease.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * fabric8's mock API server in CRUD mode (a real HTTP server on 127.0.0.1 with an in-memory store and watches),
 * plus clients for it. Every client made here is closed with the server.
 */
final class MockApi implements AutoCloseable {
  /** Held strongly: java.util.logging forgets the level of a logger nobody references. */
  private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(Level.WARNING); // the mock logs every request at INFO
  }

  private final KubernetesMockServer server;
  private final List<KubernetesClient> clients = new CopyOnWriteArrayList<>();

  MockApi() {
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
  }

  int port() {
    return server.getPort();
  }

  String url() {
    return "http://127.0.0.1:" + port();
  }

  /** A client configuration for {@code url}: no kubeconfig lookup, no retries, short timeouts. */
  static Config config(String url) {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url)
        .withNamespace("weft-system")
        .withRequestRetryBackoffLimit(0)
        .withConnectionTimeout(2_000)
        .withRequestTimeout(10_000)
        .build();
  }

  KubernetesClient client() {
    return client(b -> { });
  }

  /** A new client of its own (own HTTP client and connection pool), customised, e.g. with an interceptor. */
  KubernetesClient client(Consumer<KubernetesClientBuilder> customizer) {
    return clientFor(url(), customizer);
  }

  /** A client for another URL (a proxy in front of this server), closed with this server. */
  KubernetesClient clientFor(String url, Consumer<KubernetesClientBuilder> customizer) {
    KubernetesClientBuilder b = new KubernetesClientBuilder().withConfig(config(url));
    customizer.accept(b);
    KubernetesClient c = b.build();
    clients.add(c);
    return c;
  }

  /**
   * Stops the server first, then closes the clients. The other order would close open watches from the client side,
   * and fabric8's mock server can stall for a minute when a client closes a watch (its close handler waits on a task
   * that needs the very event loop it blocks).
   */
  @Override
  public void close() {
    server.destroy();
    clients.forEach(KubernetesClient::close);
  }
}
