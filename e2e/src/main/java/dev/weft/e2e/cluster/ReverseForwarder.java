package dev.weft.e2e.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The other direction of {@link NsForwarder}: listens inside a cluster namespace and pipes every
 * accepted connection to a server reached from the machine's own namespace. Agents in node
 * namespaces reach an existing cluster's API server on the machine's loopback this way, without
 * a single address, route or firewall rule in the root namespace. Bytes are copied as they are,
 * so TLS runs end to end between the agent and the real server.
 */
public final class ReverseForwarder extends SocketForwarder {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final String ns;

    /**
     * Listens on {@code local} inside namespace {@code ns}; each connection goes to the first of
     * {@code upstream} (tried in order, from the root namespace) that accepts it.
     */
    public ReverseForwarder(String ns, InetSocketAddress local, List<InetSocketAddress> upstream) throws IOException {
        List<InetSocketAddress> targets = nonEmpty(upstream);
        super(NsSockets.listen(ns, local.getAddress().getHostAddress(), local.getPort()),
                () -> connectUpstream(targets), "rfwd-" + ns);
        this.ns = ns;
    }

    private static List<InetSocketAddress> nonEmpty(List<InetSocketAddress> upstream) {
        if (upstream.isEmpty()) {
            throw new IllegalArgumentException("no upstream address");
        }
        return List.copyOf(upstream);
    }

    public String ns() {
        return ns;
    }

    /** Where it listens, inside {@link #ns()}. */
    public InetSocketAddress local() {
        return (InetSocketAddress) listener().getLocalSocketAddress();
    }

    /** Runs on a thread of the root namespace, so the socket is the machine's own. */
    private static Socket connectUpstream(List<InetSocketAddress> upstream) throws IOException {
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
}
