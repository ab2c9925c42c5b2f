package dev.weft.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The API client, built on its own thread while the agent's start goes on. {@link #take()} hands it
 * over (or throws what building it threw); closing without taking closes the client as soon as it
 * exists, so a start that fails elsewhere leaves nothing behind.
 */
public final class ClientInBackground implements AutoCloseable {
    private final CompletableFuture<KubernetesClient> client = new CompletableFuture<>();
    private boolean taken;

    private ClientInBackground() {
    }

    public static ClientInBackground start(Supplier<KubernetesClient> build) {
        ClientInBackground c = new ClientInBackground();
        Thread.ofPlatform().name("weft-api-client").daemon().start(() -> {
            try {
                c.client.complete(build.get());
            } catch (Throwable t) {
                c.client.completeExceptionally(t);
            }
        });
        return c;
    }

    /** Waits for the client; a failure to build it is rethrown as it was thrown. */
    public KubernetesClient take() throws InterruptedException {
        try {
            KubernetesClient c = client.get();
            taken = true;
            return c;
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case RuntimeException r -> throw r;
                case Error r -> throw r;
                default -> throw new IllegalStateException(e.getCause());
            }
        }
    }

    @Override
    public void close() {
        if (!taken) {
            client.thenAccept(KubernetesClient::close);
        }
    }
}
