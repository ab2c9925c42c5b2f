package dev.weft.e2e.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.weft.netns.Netns;
import dev.weft.netns.NetnsException;

/**
 * Sockets that live in a cluster namespace while the harness itself stays in the machine's own
 * namespace: a socket belongs to the namespace of the thread that created it, so it is created
 * on a thread that entered the namespace and then used from anywhere. This is how the harness
 * talks to the API server and the agents without a single route or address in the root namespace.
 */
public final class NsSockets {
    private NsSockets() {
    }

    /** A TCP connection from inside {@code ns} to {@code host:port}. */
    public static Socket connect(String ns, String host, int port, Duration timeout) throws IOException {
        try {
            return Netns.named(ns).run(() -> {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(InetAddress.getByName(host), port), (int) timeout.toMillis());
                s.setSoTimeout((int) timeout.toMillis());
                return s;
            });
        } catch (NetnsException e) {
            throw new IOException("cannot connect to " + host + ":" + port + " in namespace " + ns + ": " + e.getMessage(), e);
        }
    }

    /** A listening TCP socket inside {@code ns}. */
    public static ServerSocket listen(String ns, String host, int port) throws IOException {
        try {
            return Netns.named(ns).run(() -> {
                ServerSocket s = new ServerSocket();
                s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
                return s;
            });
        } catch (NetnsException e) {
            throw new IOException("cannot listen on " + host + ":" + port + " in namespace " + ns + ": " + e.getMessage(), e);
        }
    }

    /** A plain HTTP/1.0 GET from inside {@code ns}; returns status code and body. */
    public static HttpReply get(String ns, String host, int port, String path, Duration timeout) throws IOException {
        try (Socket s = connect(ns, host, port, timeout)) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String raw = new String(in.readNBytes(4 << 20), StandardCharsets.UTF_8);
            int eol = raw.indexOf("\r\n");
            int body = raw.indexOf("\r\n\r\n");
            if (eol < 0 || body < 0) {
                throw new IOException("malformed HTTP reply from " + host + ":" + port + path);
            }
            String[] status = raw.substring(0, eol).split(" ", 3);
            return new HttpReply(Integer.parseInt(status[1]), raw.substring(body + 4));
        }
    }

    /** Status and body of an HTTP reply. */
    public record HttpReply(int status, String body) {
    }

    /** Copies bytes from one socket to the other until either side closes; used by {@link NsForwarder}. */
    static void pump(Socket from, Socket to) {
        byte[] buf = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // one side went away; the caller closes both
        }
    }
}
