package dev.weft.e2e.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.weft.testing.Cmd;

/** Ping and TCP checks between pods, all from inside their namespaces. */
public final class Connectivity {
    private Connectivity() {
    }

    /** One ping from {@code from} to {@code toIp}, up to {@code attempts} tries of one second each. */
    public static boolean ping(Ns from, String toIp, int attempts) {
        for (int i = 0; i < attempts; i++) {
            Cmd.Result r = from.exec(Duration.ofSeconds(5), "ping", "-n", "-q", "-c", "1", "-W", "1", toIp);
            if (r.ok()) {
                return true;
            }
        }
        return false;
    }

    /** Pings every ordered pair of distinct pods; {@code result[i][j]} is pods[i] → pods[j]. */
    public static boolean[][] pingMatrix(List<Pod> pods) {
        int n = pods.size();
        boolean[][] ok = new boolean[n][n];
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (i == j) {
                        ok[i][j] = true;
                        continue;
                    }
                    int a = i;
                    int b = j;
                    all.add(pool.submit(() -> ok[a][b] = ping(pods.get(a).ns(), pods.get(b).ip(), 3)));
                }
            }
            for (Future<?> f : all) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("ping matrix failed: " + e, e);
        }
        return ok;
    }

    /** Renders the matrix as a table: rows are sources, columns destinations. */
    public static String render(List<Pod> pods, boolean[][] ok) {
        StringBuilder sb = new StringBuilder(String.format("%-24s", "from \\ to"));
        for (Pod p : pods) {
            sb.append(String.format(" %-16s", p.name()));
        }
        sb.append('\n');
        for (int i = 0; i < pods.size(); i++) {
            sb.append(String.format("%-24s", pods.get(i).name() + " " + pods.get(i).ip()));
            for (int j = 0; j < pods.size(); j++) {
                sb.append(String.format(" %-16s", i == j ? "-" : ok[i][j] ? "ok" : "FAIL"));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * Opens a TCP connection from namespace {@code client} to {@code serverIp:port} in namespace
     * {@code server} and returns the source address the server saw — the pod's own IP when nothing
     * NATs between pods, the node's address when masquerade applies.
     */
    public static String tcpPeerSeenBy(Ns server, String serverIp, Ns client, int port) throws IOException {
        try (ServerSocket listener = NsSockets.listen(server.name(), serverIp, port)) {
            listener.setSoTimeout(5000);
            try (Socket c = NsSockets.connect(client.name(), serverIp, port, Duration.ofSeconds(5));
                 Socket s = listener.accept()) {
                OutputStream out = c.getOutputStream();
                out.write("weft\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                String got = new String(in.readNBytes(5), StandardCharsets.US_ASCII);
                if (!"weft\n".equals(got)) {
                    throw new IOException("TCP payload corrupted: " + got);
                }
                return s.getInetAddress().getHostAddress();
            }
        }
    }
}
