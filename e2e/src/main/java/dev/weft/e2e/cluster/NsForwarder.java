package dev.weft.e2e.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Forwards connections accepted on 127.0.0.1 (root namespace, loopback only) to a target inside a
 * cluster namespace. The harness's own Kubernetes client reaches the API server through it.
 */
public final class NsForwarder implements AutoCloseable {
    private final ServerSocket listener;
    private final String ns;
    private final String host;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    public NsForwarder(String ns, String host, int port) throws IOException {
        this.ns = ns;
        this.host = host;
        this.port = port;
        this.listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.acceptor = Thread.ofPlatform().daemon().name("fwd-" + ns).start(this::acceptLoop);
    }

    /** The loopback port to connect to. */
    public int localPort() {
        return listener.getLocalPort();
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
        try {
            Socket up = NsSockets.connect(ns, host, port, Duration.ofSeconds(2));
            up.setSoTimeout(0);
            open.add(down);
            open.add(up);
            Thread t = Thread.ofVirtual().start(() -> NsSockets.pump(down, up));
            NsSockets.pump(up, down);
            t.join(Duration.ofSeconds(5));
            closeQuietly(up);
            open.remove(up);
        } catch (IOException | InterruptedException e) {
            // upstream down (e.g. API server stopped): the client sees the connection close
        } finally {
            closeQuietly(down);
            open.remove(down);
        }
    }

    @Override
    public void close() {
        closeQuietly(listener);
        open.forEach(NsForwarder::closeQuietly);
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
