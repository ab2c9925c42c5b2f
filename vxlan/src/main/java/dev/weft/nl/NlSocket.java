package dev.weft.nl;

import dev.weft.ffi.Errno;
import dev.weft.ffi.NativeException;
import dev.weft.ffi.Received;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One netlink conversation partner: stamps sequence numbers, sends requests, and reads the
 * answers that belong to them. Three shapes of exchange: a single request answered by one
 * message, a multi-part dump (retried when the kernel flags it as interrupted by a concurrent
 * change), and a batch of many requests per datagram. Replies with another sequence number
 * (left over from an abandoned exchange) or from anyone but the kernel are ignored.
 * Not thread-safe: callers serialise.
 */
public final class NlSocket implements AutoCloseable {
    static final int MAX_DUMP_ATTEMPTS = 5;
    static final Duration EXCHANGE_DEADLINE = Duration.ofSeconds(60);
    private static final int RECEIVE_BUFFER_BYTES = 256 * 1024;

    private final Transport transport;
    private final BatchLimits limits;
    private final ByteBuffer rx = ByteBuffer.allocateDirect(RECEIVE_BUFFER_BYTES).order(ByteOrder.nativeOrder());
    private ByteBuffer tx;
    private int seq;

    /** How many requests go into one datagram; see {@link NlSockets#open}. */
    public record BatchLimits(int maxBytes, int maxMessages) {
        public BatchLimits {
            if (maxBytes < 1024 || maxMessages < 1) {
                throw new IllegalArgumentException("batch limits too small: " + maxBytes + " bytes, " + maxMessages
                        + " messages");
            }
        }
    }

    public NlSocket(Transport transport, BatchLimits limits) {
        this.transport = transport;
        this.limits = limits;
        this.tx = ByteBuffer.allocateDirect(limits.maxBytes()).order(ByteOrder.nativeOrder());
        // Start from a time-derived number so replies meant for an earlier socket never match.
        this.seq = (int) (System.nanoTime() & 0x3fffffff);
    }

    public Transport transport() {
        return transport;
    }

    /** Sends a dump request and decodes every part of the answer. */
    public <T> List<T> dump(byte[] request, Decoder<T> decoder) throws NlException {
        for (int attempt = 1; attempt <= MAX_DUMP_ATTEMPTS; attempt++) {
            List<T> out = new ArrayList<>();
            int s = sendOne(request);
            if (!collectDump(s, decoder, out)) {
                return out;
            }
        }
        throw new NlException(Errno.EINTR, typeOf(request), null, -1, Rtm.name(typeOf(request))
                + " dump was interrupted by concurrent changes " + MAX_DUMP_ATTEMPTS + " times in a row", null);
    }

    /** Sends a request answered by one message (a "get"); empty when the kernel just acknowledges. */
    public <T> Optional<T> request(byte[] request, Decoder<T> decoder) throws NlException {
        int s = sendOne(request);
        long deadline = deadline();
        for (;;) {
            MessageCursor c = new MessageCursor(rx, receive(deadline));
            while (c.hasNext()) {
                NlMessage m = c.next();
                if (m.seq() != s) {
                    continue;
                }
                if (m.type() == Nl.NLMSG_ERROR) {
                    ErrorReply r = ErrorReply.decode(m);
                    if (r.isAck()) {
                        return Optional.empty();
                    }
                    throw NlException.fromReply(r);
                }
                return Optional.ofNullable(decoder.decode(m));
            }
        }
    }

    /**
     * Sends many requests, as many per datagram as the limits allow, and reports which failed.
     * Only the last request of each datagram asks for an ACK: the kernel always answers a
     * failure, and handles a datagram's requests in order, so the ACK of the last one closes
     * the books on all of them with one receive instead of one per request.
     */
    public BatchOutcome batch(List<byte[]> requests) throws NlException {
        List<BatchOutcome.Failure> failures = new ArrayList<>();
        int done = 0;
        while (done < requests.size()) {
            tx.clear();
            int firstSeq = seq + 1;
            int count = 0;
            int lastOffset = 0;
            while (done + count < requests.size() && count < limits.maxMessages()) {
                byte[] m = requests.get(done + count);
                if (count > 0 && tx.position() + m.length > limits.maxBytes()) {
                    break;
                }
                if (count == 0 && tx.capacity() < m.length) {
                    tx = ByteBuffer.allocateDirect(m.length).order(ByteOrder.nativeOrder());
                }
                lastOffset = tx.position();
                put(m, Nl.NLM_F_ACK, 0);
                count++;
            }
            tx.putShort(lastOffset + 6, (short) (tx.getShort(lastOffset + 6) | Nl.NLM_F_ACK));
            send(tx.position(), typeOf(requests.get(done)));
            collectAcks(firstSeq, count, done, failures);
            done += count;
        }
        return new BatchOutcome(requests.size(), failures);
    }

    /**
     * Receives one datagram of notifications and hands each message to {@code handler};
     * false when the receive timeout expired with nothing to read.
     */
    public boolean poll(NotificationHandler handler) throws NlException {
        Received r = receiveRaw();
        if (r.timedOut()) {
            return false;
        }
        checkFits(r);
        if (r.fromKernel()) {
            MessageCursor c = new MessageCursor(rx, r.length());
            while (c.hasNext()) {
                handler.handle(c.next());
            }
        }
        return true;
    }

    /** Called for every message of a notification datagram. */
    @FunctionalInterface
    public interface NotificationHandler {
        void handle(NlMessage message) throws NlDecodeException;
    }

    @Override
    public void close() {
        transport.close();
    }

    private <T> boolean collectDump(int s, Decoder<T> decoder, List<T> out) throws NlException {
        long deadline = deadline();
        boolean interrupted = false;
        for (;;) {
            MessageCursor c = new MessageCursor(rx, receive(deadline));
            while (c.hasNext()) {
                NlMessage m = c.next();
                if (m.seq() != s || m.type() == Nl.NLMSG_NOOP) {
                    continue;
                }
                interrupted |= m.hasFlag(Nl.NLM_F_DUMP_INTR);
                if (m.type() == Nl.NLMSG_DONE) {
                    checkDone(m);
                    return interrupted;
                }
                if (m.type() == Nl.NLMSG_ERROR) {
                    ErrorReply r = ErrorReply.decode(m);
                    if (!r.isAck()) {
                        throw NlException.fromReply(r);
                    }
                    return interrupted;
                }
                T value = decoder.decode(m);
                if (value != null) {
                    out.add(value);
                }
            }
        }
    }

    private void collectAcks(int firstSeq, int count, int base, List<BatchOutcome.Failure> failures)
            throws NlException {
        long deadline = deadline();
        for (;;) {
            MessageCursor c = new MessageCursor(rx, receive(deadline));
            while (c.hasNext()) {
                NlMessage m = c.next();
                int index = m.seq() - firstSeq;
                if (m.type() != Nl.NLMSG_ERROR || index < 0 || index >= count) {
                    continue;
                }
                ErrorReply r = ErrorReply.decode(m);
                if (!r.isAck()) {
                    failures.add(new BatchOutcome.Failure(base + index, r));
                }
                if (index == count - 1) {
                    return;
                }
            }
        }
    }

    /** NLMSG_DONE carries the dump's final status, negative on failure, optionally with ext-ack TLVs. */
    private static void checkDone(NlMessage m) throws NlException {
        if (m.payloadLength() < 4) {
            return;
        }
        int error = m.buffer().getInt(m.payloadOffset());
        if (error >= 0) {
            return;
        }
        String text = null;
        if (m.hasFlag(Nl.NLM_F_ACK_TLVS) && m.payloadLength() > 4) {
            Attributes tlvs = Attributes.parse(m.buffer(), m.payloadOffset() + 4, m.end(), Nl.NLMSGERR_ATTR_OFFS);
            text = tlvs.has(Nl.NLMSGERR_ATTR_MSG) ? tlvs.string(Nl.NLMSGERR_ATTR_MSG) : null;
        }
        throw new NlException(-error, 0, text, -1, "dump ended with " + Errno.describe(-error)
                + (text == null ? "" : ": " + text), null);
    }

    private int sendOne(byte[] request) throws NlException {
        tx.clear();
        if (tx.capacity() < request.length) {
            tx = ByteBuffer.allocateDirect(request.length).order(ByteOrder.nativeOrder());
        }
        int s = put(request, 0, 0);
        send(tx.position(), typeOf(request));
        return s;
    }

    /** Copies a request into the send buffer with the next sequence number; returns that number. */
    private int put(byte[] message, int clearFlags, int setFlags) {
        if (tx.remaining() < message.length) {
            throw new IllegalStateException("request of " + message.length + " bytes exceeds the send buffer");
        }
        int at = tx.position();
        tx.put(message);
        int flags = (tx.getShort(at + 6) & ~clearFlags) | setFlags;
        tx.putShort(at + 6, (short) flags);
        tx.putInt(at + 8, ++seq);
        tx.putInt(at + 12, 0);
        return seq;
    }

    private void send(int length, int type) throws NlException {
        try {
            transport.send(tx, length);
        } catch (NativeException e) {
            throw new NlException(e.errno(), type, null, -1, "sending " + Rtm.name(type) + ": " + e.getMessage(), e);
        }
    }

    /** Receives the next datagram from the kernel; returns its length. */
    private int receive(long deadline) throws NlException {
        for (;;) {
            if (System.nanoTime() - deadline > 0) {
                throw timeout();
            }
            Received r = receiveRaw();
            if (r.timedOut()) {
                throw timeout();
            }
            checkFits(r);
            if (r.fromKernel()) {
                return r.length();
            }
        }
    }

    private Received receiveRaw() throws NlException {
        try {
            return transport.receive(rx);
        } catch (NativeException e) {
            String why = e.errno() == Errno.ENOBUFS
                    ? "the socket's receive buffer overflowed and replies were lost; the kernel state must be re-read"
                    : e.getMessage();
            throw new NlException(e.errno(), 0, null, -1, "receiving: " + why, e);
        }
    }

    private void checkFits(Received r) throws NlDecodeException {
        if (r.truncated()) {
            throw new NlDecodeException("a datagram of " + r.length() + " bytes did not fit the "
                    + rx.capacity() + "-byte receive buffer");
        }
    }

    private static NlException timeout() {
        return new NlException(Errno.ETIMEDOUT, 0, null, -1, "no answer from the kernel in time", null);
    }

    private static long deadline() {
        return System.nanoTime() + EXCHANGE_DEADLINE.toNanos();
    }

    private static int typeOf(byte[] request) {
        return request.length >= 6 ? ByteBuffer.wrap(request).order(ByteOrder.nativeOrder()).getShort(4) & 0xffff : 0;
    }
}
