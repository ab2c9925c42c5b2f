package dev.weft.e2e.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The other direction of {@link NsForwarder}: listens inside a cluster namespace and pipes every
 * accepted connection to a server reached from the machine's own namespace. Agents in node
 * namespaces reach an existing cluster's API server on the machine's loopback this way, without
 * a single address, route or firewall rule in the root namespace. Bytes are copied as they are,
 * so TLS runs end to end between the agent and the real server.
 */
public final class ReverseForwarder implements AutoCloseable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final String ns;
    private final ServerSocket listener;
    private final List<InetSocketAddress> upstream;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    /**
     * Listens on {@code local} inside namespace {@code ns}; each connection goes to the first of
     * {@code upstream} (tried in order, from the root namespace) that accepts it.
     */
    public ReverseForwarder(String ns, InetSocketAddress local, List<InetSocketAddress> upstream) throws IOException {
        if (upstream.isEmpty()) {
            throw new IllegalArgumentException("no upstream address");
        }
        this.ns = ns;
        this.upstream = List.copyOf(upstream);
        this.listener = NsSockets.listen(ns, local.getAddress().getHostAddress(), local.getPort());
        this.acceptor = Thread.ofPlatform().daemon().name("rfwd-" + ns).start(this::acceptLoop);
    }

    public String ns() {
        return ns;
    }

    /** Where it listens, inside {@link #ns()}. */
    public InetSocketAddress local() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket down;
            try {
                down = listener.accept();
            } catch (IOException e) {
                return;
            }
            Thread.ofVirtual().start(() -> bridge(down));
        }
    }

    private void bridge(Socket down) {
        open.add(down);
        Socket up = null;
        try {
            up = connectUpstream();
            open.add(up);
            Socket u = up;
            Thread t = Thread.ofVirtual().start(() -> NsSockets.pump(down, u));
            NsSockets.pump(up, down);
            t.join(Duration.ofSeconds(5));
        } catch (IOException | InterruptedException e) {
            // server unreachable: the agent sees its connection closed and retries, as with a real outage
        } finally {
            if (up != null) {
                closeQuietly(up);
                open.remove(up);
            }
            closeQuietly(down);
            open.remove(down);
        }
    }

    /** Runs on a thread of the root namespace, so the socket is the machine's own. */
    private Socket connectUpstream() throws IOException {
        List<String> failures = new ArrayList<>();
        for (InetSocketAddress a : upstream) {
            Socket s = new Socket();
            try {
                s.connect(a, (int) CONNECT_TIMEOUT.toMillis());
                return s;
            } catch (IOException e) {
                closeQuietly(s);
                failures.add(a + ": " + e.getMessage());
            }
        }
        throw new IOException("no upstream answered: " + failures);
    }

    @Override
    public void close() {
        closeQuietly(listener);
        open.forEach(ReverseForwarder::closeQuietly);
        try {
            acceptor.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing on the way out
        }
    }
}
