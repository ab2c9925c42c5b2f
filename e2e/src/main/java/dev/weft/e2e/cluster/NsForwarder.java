package dev.weft.e2e.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;

/**
 * Forwards connections accepted on 127.0.0.1 (root namespace, loopback only) to a target inside a
 * cluster namespace. The harness's own Kubernetes client reaches the API server through it.
 */
public final class NsForwarder extends SocketForwarder {

    public NsForwarder(String ns, String host, int port) throws IOException {
        super(loopbackListener(), () -> NsSockets.connect(ns, host, port, Duration.ofSeconds(2)), "fwd-" + ns);
    }

    private static ServerSocket loopbackListener() throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return s;
    }

    /** The loopback port to connect to. */
    public int localPort() {
        return listener().getLocalPort();
    }
}
