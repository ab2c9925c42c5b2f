package dev.weft.e2e.api;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

/**
 * The sandbox's and cluster tests' Kubernetes API: fabric8's mock server in CRUD mode (a real HTTP
 * server with list/watch/patch semantics, but no admission, no auth, no controllers), run as its
 * own process so it can be stopped and restarted like a real API server.
 *
 * <p>A real API server keeps its objects in etcd across restarts; this one keeps Nodes and Leases
 * in a JSON state file: loaded at start, written on SIGTERM. Editing that file while the server is
 * down stands in for changes another API server replica accepted during the outage.
 *
 * <p>With {@code --tls <ca-file>} it serves HTTPS as a real API server does, with a certificate for
 * the bind address (see {@link TlsFront}), and writes the certificate to the file as the CA that
 * pods find in their service account volume.
 *
 * <p>Usage: {@code MockApiServerMain <bind-address> <port> <state-file> [--tls <ca-file>]}
 */
public final class MockApiServerMain {
    // fabric8's own mapper: it knows the model's date-time fields (a Lease's acquireTime) that plain Jackson does not.
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private MockApiServerMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean tls = args.length == 5 && args[3].equals("--tls");
        if (args.length != 3 && !tls) {
            System.err.println("usage: MockApiServerMain <bind-address> <port> <state-file> [--tls <ca-file>]");
            System.exit(2);
        }
        // Named by its own literal: the mock server asks for the bind address's host name, and a reverse
        // DNS lookup from inside a namespace with no resolver in reach would stall startup for seconds.
        InetAddress bind = InetAddress.getByAddress(args[0], InetAddress.getByName(args[0]).getAddress());
        int port = Integer.parseInt(args[1]);
        Path state = Path.of(args[2]);

        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(),
                new HashMap<>(), new KubernetesCrudDispatcher(), false);
        KubernetesClient client;
        if (tls) {
            InetAddress loopback = InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
            server.init(loopback, 0);
            client = server.createClient();
            TlsFront.start(bind, port, new java.net.InetSocketAddress(loopback, server.getPort()), Path.of(args[4]));
        } else {
            server.init(bind, port);
            client = server.createClient();
        }
        int loaded = load(client, state);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                save(client, state);
            } catch (IOException | RuntimeException e) {
                System.err.println("mock-apiserver: could not save state: " + e);
            } finally {
                stopped.countDown();
            }
        }, "mock-apiserver-save"));
        System.out.println("mock-apiserver: listening on " + args[0] + ":" + port + (tls ? " (https)" : "") + ", " + loaded + " objects loaded");
        System.out.flush();
        stopped.await();
    }

    static int load(KubernetesClient client, Path state) throws IOException {
        if (!Files.exists(state)) {
            return 0;
        }
        StateFile file = SERIALIZATION.unmarshal(Files.readString(state), StateFile.class);
        for (Node n : file.nodes) {
            scrub(n);
            client.nodes().resource(n).create();
        }
        for (Lease l : file.leases) {
            scrub(l);
            client.leases().inNamespace(l.getMetadata().getNamespace()).resource(l).create();
        }
        return file.nodes.size() + file.leases.size();
    }

    /** Writes the server's Nodes and Leases to {@code state} atomically; the harness calls it too. */
    public static void save(KubernetesClient client, Path state) throws IOException {
        StateFile file = new StateFile();
        file.nodes.addAll(client.nodes().list().getItems());
        file.leases.addAll(client.leases().inAnyNamespace().list().getItems());
        Path tmp = state.resolveSibling(state.getFileName() + ".tmp");
        Files.writeString(tmp, SERIALIZATION.asJson(file));
        Files.move(tmp, state, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void scrub(HasMetadata o) {
        o.getMetadata().setResourceVersion(null);
    }

    /** The persisted objects. Public fields keep the JSON shape obvious for hand edits. */
    public static final class StateFile {
        public List<Node> nodes = new ArrayList<>();
        public List<Lease> leases = new ArrayList<>();
    }
}
