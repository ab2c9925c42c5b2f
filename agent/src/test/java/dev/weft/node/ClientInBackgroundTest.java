package dev.weft.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

class ClientInBackgroundTest {

    @Test
    void takeHandsOverTheClientBuiltOnTheOtherThread() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        KubernetesClient client = fake(closed);
        try (ClientInBackground api = ClientInBackground.start(() -> client)) {
            assertThat(api.take()).isSameAs(client);
        }
        // had close() closed it, it would have done so at once: the client already existed
        assertThat(closed.getCount()).as("a taken client is the taker's to close").isEqualTo(1);
    }

    @Test
    void aFailureToBuildIsRethrownAsItWasThrown() {
        IllegalArgumentException bad = new IllegalArgumentException("kubeconfig /x is not a readable file");
        try (ClientInBackground api = ClientInBackground.start(() -> {
            throw bad;
        })) {
            assertThatThrownBy(api::take).isSameAs(bad);
        }
    }

    @Test
    void closingWithoutTakingClosesTheClientOnceItExists() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        try (ClientInBackground api = ClientInBackground.start(() -> {
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return fake(closed);
        })) {
            assertThat(api).isNotNull(); // the start fails elsewhere before the client is taken
        }
        release.countDown();
        assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
    }

    /** A client whose close() counts down {@code closed}; nothing else may be called. */
    private static KubernetesClient fake(CountDownLatch closed) {
        return (KubernetesClient) Proxy.newProxyInstance(KubernetesClient.class.getClassLoader(),
                new Class<?>[] {KubernetesClient.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "close" -> {
                        closed.countDown();
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "fake client";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
