package dev.weft.cni.testing;

import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A tiny HTTP responder to run inside a pod namespace: answers "weft" to each connection, at
 * most 20 connections or 120 seconds, whichever comes first. Started and killed by the test.
 */
public final class HttpOnce {
    private HttpOnce() {
    }

    public static void main(String[] args) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        try (ServerSocket server = new ServerSocket(Integer.parseInt(args[0]))) {
            server.setSoTimeout(1000);
            for (int served = 0; served < 20 && System.currentTimeMillis() < deadline; ) {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    out.write("HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nweft\n".getBytes(StandardCharsets.US_ASCII));
                    served++;
                } catch (java.net.SocketTimeoutException e) {
                    // keep waiting until the deadline
                }
            }
        }
    }
}
