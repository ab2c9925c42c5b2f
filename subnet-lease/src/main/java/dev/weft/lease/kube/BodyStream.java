package dev.weft.lease.kube;

import io.fabric8.kubernetes.client.http.AsyncBody;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;

/**
 * A response body as a blocking {@link InputStream}, fed by the HTTP client's callbacks. Chunks are handed over as
 * they arrive and copied out in bulk; the next chunk is asked for while less than {@value #HIGH_WATER} bytes wait, so
 * the network keeps flowing while the reader parses, and a slow reader holds at most about that much. (fabric8's own
 * stream adapter copies byte by byte and asks for data only once it has run dry.)
 */
final class BodyStream extends InputStream implements AsyncBody.Consumer<List<ByteBuffer>> {
  static final int HIGH_WATER = 1 << 20;

  private final ArrayDeque<ByteBuffer> chunks = new ArrayDeque<>();
  private long queued;
  private boolean requested;
  private boolean done;
  private boolean closed;
  private Throwable failure;
  private AsyncBody body;

  /** Called once the response has arrived; starts the flow. */
  void start(AsyncBody asyncBody) {
    synchronized (this) {
      body = asyncBody;
      requested = true;
    }
    asyncBody.done().whenComplete((v, t) -> finished(t));
    asyncBody.consume();
  }

  @Override
  public void consume(List<ByteBuffer> value, AsyncBody asyncBody) {
    boolean more;
    synchronized (this) {
      for (ByteBuffer b : value) {
        if (b.hasRemaining()) {
          chunks.add(b);
          queued += b.remaining();
        }
      }
      more = !closed && queued < HIGH_WATER;
      requested = more;
      notifyAll();
    }
    if (more) {
      asyncBody.consume();
    }
  }

  private synchronized void finished(Throwable t) {
    failure = t;
    done = true;
    notifyAll();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] dst, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    int n;
    boolean more;
    synchronized (this) {
      while (chunks.isEmpty()) {
        if (closed) {
          throw new IOException("stream closed");
        }
        if (done) {
          if (failure != null) {
            throw new IOException("the response body failed: " + failure.getMessage(), failure);
          }
          return -1;
        }
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while reading a response body");
        }
      }
      ByteBuffer head = chunks.peek();
      n = Math.min(len, head.remaining());
      head.get(dst, off, n);
      if (!head.hasRemaining()) {
        chunks.poll();
      }
      queued -= n;
      more = !requested && !done && body != null && queued < HIGH_WATER;
      requested |= more;
    }
    if (more) {
      body.consume();
    }
    return n;
  }

  /** Stops the transfer if it has not ended (the connection is then not reused). */
  @Override
  public void close() {
    AsyncBody b;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      b = done ? null : body;
      chunks.clear();
      notifyAll();
    }
    if (b != null) {
      b.cancel();
    }
  }
}
