package dev.weft.nl;

import dev.weft.ffi.NativeException;
import dev.weft.ffi.Received;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * A scripted kernel: each sent datagram is recorded and handed to a responder that returns the
 * datagrams to queue for receiving. An empty queue reads as a receive timeout.
 */
final class FakeTransport implements Transport {
    /** A queued datagram, possibly from a non-kernel sender, or a receive error. */
    record Datagram(byte[] bytes, int sender, int errno) {
    }

    final List<byte[]> sent = new ArrayList<>();
    final Deque<Datagram> queue = new ArrayDeque<>();
    private final Function<byte[], List<Datagram>> responder;
    boolean closed;

    FakeTransport(Function<byte[], List<Datagram>> responder) {
        this.responder = responder;
    }

    @Override
    public void send(ByteBuffer direct, int length) {
        byte[] b = new byte[length];
        direct.get(0, b);
        sent.add(b);
        queue.addAll(responder.apply(b));
    }

    @Override
    public Received receive(ByteBuffer direct) throws NativeException {
        Datagram d = queue.poll();
        if (d == null) {
            return Received.TIMED_OUT;
        }
        if (d.errno() != 0) {
            throw new NativeException("recvfrom", d.errno());
        }
        int n = Math.min(d.bytes().length, direct.capacity());
        direct.put(0, d.bytes(), 0, n);
        return new Received(d.bytes().length, d.bytes().length > direct.capacity(), d.sender());
    }

    @Override
    public void close() {
        closed = true;
    }

    static Datagram kernel(byte[]... messages) {
        return new Datagram(concat(messages), 0, 0);
    }

    static Datagram from(int sender, byte[]... messages) {
        return new Datagram(concat(messages), sender, 0);
    }

    static Datagram failure(int errno) {
        return new Datagram(new byte[0], 0, errno);
    }

    /** A message: header with {@code type}, {@code flags}, {@code seq}, then the payload. */
    static byte[] message(int type, int flags, int seq, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(16 + Nl.align(payload.length)).order(ByteOrder.nativeOrder());
        b.putInt(16 + payload.length).putShort((short) type).putShort((short) flags).putInt(seq).putInt(4242).put(payload);
        return b.array();
    }

    /** NLMSG_ERROR answering the request with {@code seq} and {@code type}; errno 0 is an ACK. */
    static byte[] error(int seq, int type, int errno, String extAck) {
        ByteBuffer p = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
        p.putInt(-errno).putInt(16).putShort((short) type).putShort((short) 0).putInt(seq).putInt(0);
        int flags = Nl.NLM_F_CAPPED;
        if (extAck != null) {
            byte[] text = (extAck + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            p.putShort((short) (4 + text.length)).putShort((short) Nl.NLMSGERR_ATTR_MSG).put(text);
            while (p.position() % 4 != 0) {
                p.put((byte) 0);
            }
            flags |= Nl.NLM_F_ACK_TLVS;
        }
        return message(Nl.NLMSG_ERROR, flags, seq, java.util.Arrays.copyOf(p.array(), p.position()));
    }

    static byte[] done(int seq, int error) {
        return message(Nl.NLMSG_DONE, Nl.NLM_F_MULTI, seq, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(error).array());
    }

    static int seq(byte[] request) {
        return ByteBuffer.wrap(request).order(ByteOrder.nativeOrder()).getInt(8);
    }

    static int flags(byte[] datagram, int offset) {
        return ByteBuffer.wrap(datagram).order(ByteOrder.nativeOrder()).getShort(offset + 6) & 0xffff;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }
}
