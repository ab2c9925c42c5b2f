package dev.weft.e2e.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Accepts connections on a listening socket and pipes each, byte for byte, to a connection the
 * {@link Upstream} opens. Which namespace each side lives in is decided by where its socket was
 * created (see {@link NsSockets}): {@link NsForwarder} listens in the root namespace's loopback
 * and connects inside a cluster namespace, {@link ReverseForwarder} the other way round.
 */
abstract class SocketForwarder implements AutoCloseable {
    /** Opens the far side of one forwarded connection. */
    @FunctionalInterface
    interface Upstream {
        Socket connect() throws IOException;
    }

    private final ServerSocket listener;
    private final Upstream upstream;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    SocketForwarder(ServerSocket listener, Upstream upstream, String threadName) {
        this.listener = listener;
        this.upstream = upstream;
        this.acceptor = Thread.ofPlatform().daemon().name(threadName).start(this::acceptLoop);
    }

    ServerSocket listener() {
        return listener;
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
            up = upstream.connect();
            up.setSoTimeout(0);
            open.add(up);
            Socket u = up;
            Thread t = Thread.ofVirtual().start(() -> NsSockets.pump(down, u));
            NsSockets.pump(up, down);
            t.join(Duration.ofSeconds(5));
        } catch (IOException | InterruptedException e) {
            // the far side is down (API server stopped or unreachable): the client sees its
            // connection close and retries, as with a real outage
        } finally {
            if (up != null) {
                closeQuietly(up);
                open.remove(up);
            }
            closeQuietly(down);
            open.remove(down);
        }
    }

    @Override
    public void close() {
        closeQuietly(listener);
        open.forEach(SocketForwarder::closeQuietly);
        try {
            acceptor.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing on the way out
        }
    }
}
