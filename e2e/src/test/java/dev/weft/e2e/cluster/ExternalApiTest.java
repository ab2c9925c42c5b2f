package dev.weft.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

/** Which kubeconfig servers agents in node namespaces can use, and where the forwarders listen. */
class ExternalApiTest {

    @Test
    void loopbackServerIsListenedForAtTheSameAddressAndPort() {
        ExternalApi.Endpoint e = ExternalApi.endpoint("https://127.0.0.1:39211/");
        assertThat(e.server()).isEqualTo("https://127.0.0.1:39211");
        assertThat(e.local()).containsExactly(new InetSocketAddress("127.0.0.1", 39211));
        assertThat(e.upstream()).containsExactly(new InetSocketAddress("127.0.0.1", 39211));
    }

    @Test
    void ipv6LoopbackAndDefaultPorts() {
        assertThat(ExternalApi.endpoint("https://[::1]/").local()).containsExactly(new InetSocketAddress("::1", 443));
        assertThat(ExternalApi.endpoint("http://127.0.0.1").local()).containsExactly(new InetSocketAddress("127.0.0.1", 80));
    }

    @Test
    void localhostIsListenedForOnEveryLoopbackAddressItNames() {
        ExternalApi.Endpoint e = ExternalApi.endpoint("https://localhost:6443");
        assertThat(e.local()).contains(new InetSocketAddress("127.0.0.1", 6443))
                .allSatisfy(a -> assertThat(a.getAddress().isLoopbackAddress()).isTrue());
    }

    @Test
    void wildcardServerAsK3dWritesItIsTheNamespacesOwnLoopback() {
        ExternalApi.Endpoint e = ExternalApi.endpoint("https://0.0.0.0:6550");
        assertThat(e.local()).containsExactly(new InetSocketAddress("127.0.0.1", 6550));
    }

    @Test
    void credentialsInTheUrlNeverReachThePrintableServer() {
        ExternalApi.Endpoint e = ExternalApi.endpoint("https://admin:hunter2@127.0.0.1:6443/");
        assertThat(e.server()).isEqualTo("https://127.0.0.1:6443").doesNotContain("hunter2");
    }

    @Test
    void remoteServerIsRefusedNamingTheLimitationAndTheWayOut() {
        assertThatThrownBy(() -> ExternalApi.endpoint("https://10.1.2.3:6443"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("https://10.1.2.3:6443")
                .hasMessageContaining("not on this machine's loopback")
                .hasMessageContaining("tls-server-name")
                .hasMessageContaining("kubectl proxy");
    }

    @Test
    void healthPortClashIsRefused() {
        assertThatThrownBy(() -> ExternalApi.endpoint("https://127.0.0.1:" + Node.HEALTH_PORT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("health server");
    }

    @Test
    void nonHttpServerIsRefused() {
        assertThatThrownBy(() -> ExternalApi.endpoint("unix:///run/k8s.sock"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http(s)");
    }
}
