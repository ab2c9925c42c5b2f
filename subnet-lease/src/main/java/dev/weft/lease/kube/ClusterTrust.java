package dev.weft.lease.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.internal.CertUtils;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import io.fabric8.kubernetes.client.utils.Utils;
import io.fabric8.kubernetes.client.vertx.TlsWarmup;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * fabric8's Vert.x HTTP client with the trust client-go (and so flanneld) gives the API server. A kubeconfig or
 * service account that names the cluster's CA trusts that CA alone: fabric8 adds it to the JVM's public roots (about
 * 150), so any public CA could vouch for an API server, and reading them is a tenth of a second of every start. Without
 * a CA the JVM's roots are trusted, read when a handshake first needs them. {@code insecure-skip-tls-verify} and an
 * explicit trust store ({@code kubernetes.truststore.file}) stay as fabric8 does them. For a plain-HTTP API address the
 * TLS context is not built until a redirect asks for TLS.
 */
final class ClusterTrust extends VertxHttpClientFactory {

  @Override
  public HttpClient.Builder newBuilder(Config config) {
    if (config.isTrustCerts() || Utils.isNotNullOrEmpty(config.getTrustStoreFile())) {
      return super.newBuilder(config);
    }
    TrustManager[] trust = trustManagers(config);
    String master = config.getMasterUrl() == null ? "" : config.getMasterUrl().toLowerCase(Locale.ROOT);
    if (master.startsWith("http:")) {
      setTlsWarmup(TlsWarmup.OFF);
    }
    HttpClient.Builder builder;
    // Only so that fabric8's common set-up does not read the JVM's trust store; the flag is back before any request
    // and the trust manager it made is replaced below.
    config.setTrustCerts(true);
    try {
      builder = super.newBuilder(config);
    } finally {
      config.setTrustCerts(false);
    }
    try {
      return builder.sslContext(SSLUtils.keyManagers(config), trust);
    } catch (GeneralSecurityException | IOException e) {
      throw KubernetesClientException.launderThrowable(e);
    }
  }

  /** The cluster CA's certificates alone when the config names a CA (data or file), else the JVM's roots, lazily. */
  static TrustManager[] trustManagers(Config config) {
    if (Utils.isNullOrEmpty(config.getCaCertData()) && Utils.isNullOrEmpty(config.getCaCertFile())) {
      return new TrustManager[] {new JvmRoots()};
    }
    String source = Utils.isNotNullOrEmpty(config.getCaCertData()) ? "certificate-authority-data"
        : "certificate authority file " + config.getCaCertFile();
    try (InputStream in = CertUtils.getInputStreamFromDataOrFile(config.getCaCertData(), config.getCaCertFile())) {
      Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new KubernetesClientException("the cluster CA (" + source + ") holds no certificate");
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        store.setCertificateEntry("cluster-ca-" + i++, c);
      }
      TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      f.init(store);
      return f.getTrustManagers();
    } catch (IOException | GeneralSecurityException e) {
      throw new KubernetesClientException("cannot read the cluster CA (" + source + "): " + e.getMessage(), e);
    }
  }

  /** The JVM's default trust, built on the first check: a client that never makes a TLS handshake never reads it. */
  static final class JvmRoots extends X509ExtendedTrustManager {
    private volatile X509ExtendedTrustManager delegate;

    private X509ExtendedTrustManager delegate() throws CertificateException {
      X509ExtendedTrustManager d = delegate;
      if (d == null) {
        synchronized (this) {
          d = delegate;
          if (d == null) {
            d = load();
            delegate = d;
          }
        }
      }
      return d;
    }

    private static X509ExtendedTrustManager load() throws CertificateException {
      try {
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init((KeyStore) null);
        for (TrustManager t : f.getTrustManagers()) {
          if (t instanceof X509ExtendedTrustManager x) {
            return x;
          }
        }
        throw new CertificateException("the JVM has no X.509 trust manager");
      } catch (GeneralSecurityException e) {
        throw new CertificateException("cannot read the JVM's trust store: " + e.getMessage(), e);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      delegate().checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      delegate().checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      delegate().checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      delegate().checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      delegate().checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      delegate().checkServerTrusted(chain, authType, engine);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      try {
        return delegate().getAcceptedIssuers();
      } catch (CertificateException e) {
        return new X509Certificate[0];
      }
    }
  }
}
