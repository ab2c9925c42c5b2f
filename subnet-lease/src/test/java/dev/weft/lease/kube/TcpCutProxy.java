package dev.weft.lease.kube;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on 127.0.0.1 in front of the mock API server that can simulate an outage: {@link #cut()} resets
 * every client connection and resets new ones until {@link #restore()}. The mock server keeps its state meanwhile,
 * so a test can change objects "while the API server is unreachable" and then check what the client resumes with.
 *
 * <p>Only the client side is cut. The server-side halves stay open and are drained until {@link #close()}: the mock
 * server can stall for a minute when a watch connection closes while it is sending an event on it, which a real API
 * server does not do, and which would otherwise make the test measure the mock instead of the client.
 */
final class TcpCutProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final Set<Socket> clientSide = ConcurrentHashMap.newKeySet();
  private final Set<Socket> serverSide = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile boolean down;

  TcpCutProxy(int targetPort) throws IOException {
    this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
    this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    this.acceptor = Thread.ofPlatform().daemon().name("test-proxy-accept").start(this::acceptLoop);
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Resets every client connection; new ones are reset on arrival until {@link #restore()}. */
  void cut() {
    down = true;
    for (Socket s : clientSide) {
      reset(s);
    }
  }

  void restore() {
    down = false;
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        if (down) {
          reset(client);
          continue;
        }
        Socket upstream = new Socket();
        upstream.connect(target, 2_000);
        clientSide.add(client);
        serverSide.add(upstream);
        pump(client, upstream, true);
        pump(upstream, client, false);
      } catch (IOException e) {
        if (listener.isClosed()) {
          return;
        }
      }
    }
  }

  /** Copies bytes; once the client side is gone, the server side is drained rather than closed (see class doc). */
  private void pump(Socket from, Socket to, boolean fromClient) {
    Thread.ofVirtual().start(() -> {
      byte[] buf = new byte[16 * 1024];
      boolean sinking = false;
      try (InputStream in = from.getInputStream()) {
        OutputStream out = to.getOutputStream();
        int n;
        while ((n = in.read(buf)) >= 0) {
          if (!sinking) {
            try {
              out.write(buf, 0, n);
            } catch (IOException e) {
              sinking = !fromClient; // the client went away: keep draining the server's side
              if (!sinking) {
                throw e;
              }
            }
          }
        }
      } catch (IOException e) {
        // a side went away
      } finally {
        if (fromClient && !down) {
          closeQuietly(to); // an ordinary close by the client: pass it on
          serverSide.remove(to);
        }
        if (fromClient) {
          closeQuietly(from);
          clientSide.remove(from);
        }
      }
    });
  }

  private static void reset(Socket s) {
    try {
      s.setSoLinger(true, 0);
    } catch (IOException ignored) {
      // closing anyway
    }
    closeQuietly(s);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already gone
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    clientSide.forEach(TcpCutProxy::closeQuietly);
    serverSide.forEach(TcpCutProxy::closeQuietly);
    acceptor.interrupt();
  }
}
