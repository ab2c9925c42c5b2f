package dev.weft.e2e.api;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.weft.e2e.bench.SimulatedNodes;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * The API server of the scale benches: {@link NodeListFront} on {@code <bind>:<port>} holding
 * {@code <peers>} read-only peer Nodes ({@link SimulatedNodes} 0..peers-1), in front of fabric8's
 * CRUD mock on {@code 127.0.0.1:<port + 1>} loaded from {@code <state-file>} (the shape
 * {@link MockApiServerMain} reads). Prints one "listening" line once everything is loaded.
 *
 * <p>Usage: {@code ScaleApiServerMain <bind-address> <port> <state-file> <peers>}
 */
public final class ScaleApiServerMain {
    private ScaleApiServerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: ScaleApiServerMain <bind-address> <port> <state-file> <peers>");
            System.exit(2);
        }
        String bind = args[0];
        int port = Integer.parseInt(args[1]);
        int peers = Integer.parseInt(args[3]);
        InetAddress loopback = InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
        KubernetesMockServer mock = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        mock.init(loopback, port + 1);
        KubernetesClient client = mock.createClient();
        int loaded = MockApiServerMain.load(client, Path.of(args[2]));

        List<byte[]> rendered = new ArrayList<>(peers);
        for (int i = 0; i < peers; i++) {
            rendered.add(SimulatedNodes.json(i, true).getBytes(StandardCharsets.UTF_8));
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(2));
        new NodeListFront(vertx, "127.0.0.1", port + 1, rendered).listen(bind, port)
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        System.out.println("scale-apiserver: listening on " + bind + ":" + port + ", " + peers + " static peers, "
                + loaded + " objects loaded");
        System.out.flush();
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown, "scale-apiserver-stop"));
        forever.await();
    }
}
