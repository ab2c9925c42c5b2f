package dev.weft.nl;

import static dev.weft.nl.FakeTransport.done;
import static dev.weft.nl.FakeTransport.error;
import static dev.weft.nl.FakeTransport.from;
import static dev.weft.nl.FakeTransport.kernel;
import static dev.weft.nl.FakeTransport.message;
import static dev.weft.nl.FakeTransport.seq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.ffi.Errno;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The conversation logic (sequence numbers, dump loop, batching, errors) against a scripted kernel. */
class NlSocketTest {
    private static final NlSocket.BatchLimits LIMITS = new NlSocket.BatchLimits(4096, 3);
    private static final Decoder<Integer> FIRST_INT = m -> m.buffer().getInt(m.payloadOffset());

    @Test
    void dumpCollectsEveryPartUntilDone() throws Exception {
        FakeTransport t = new FakeTransport(req -> {
            int s = seq(req);
            return List.of(kernel(data(s, 1), data(s, 2)), kernel(data(s, 3)), kernel(done(s, 0)));
        });
        assertThat(new NlSocket(t, LIMITS).dump(request(Rtm.RTM_GETROUTE), FIRST_INT)).containsExactly(1, 2, 3);
        assertThat(FakeTransport.flags(t.sent.getFirst(), 0) & Nl.NLM_F_REQUEST).isNotZero();
    }

    @Test
    void ignoresStaleSequenceNumbersAndNonKernelSenders() throws Exception {
        FakeTransport t = new FakeTransport(req -> {
            int s = seq(req);
            return List.of(kernel(data(s - 1, 99)), from(777, data(s, 98)), kernel(data(s, 1), done(s, 0)));
        });
        assertThat(new NlSocket(t, LIMITS).dump(request(Rtm.RTM_GETROUTE), FIRST_INT)).containsExactly(1);
    }

    @Test
    void retriesAnInterruptedDump() throws Exception {
        int[] attempts = {0};
        FakeTransport t = new FakeTransport(req -> {
            int s = seq(req);
            int flags = ++attempts[0] == 1 ? Nl.NLM_F_MULTI | Nl.NLM_F_DUMP_INTR : Nl.NLM_F_MULTI;
            return List.of(kernel(message(Rtm.RTM_NEWROUTE, flags, s, intPayload(attempts[0])), done(s, 0)));
        });
        assertThat(new NlSocket(t, LIMITS).dump(request(Rtm.RTM_GETROUTE), FIRST_INT)).containsExactly(2);
        assertThat(t.sent).hasSize(2);
        assertThat(seq(t.sent.get(1))).isNotEqualTo(seq(t.sent.get(0)));
    }

    @Test
    void givesUpOnADumpInterruptedEveryTime() {
        FakeTransport t = new FakeTransport(req -> List.of(kernel(
                message(Rtm.RTM_NEWROUTE, Nl.NLM_F_MULTI | Nl.NLM_F_DUMP_INTR, seq(req), intPayload(1)), done(seq(req), 0))));
        assertThatThrownBy(() -> new NlSocket(t, LIMITS).dump(request(Rtm.RTM_GETROUTE), FIRST_INT))
                .isInstanceOfSatisfying(NlException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.EINTR);
                    assertThat(e.getMessage()).contains("RTM_GETROUTE dump was interrupted");
                });
        assertThat(t.sent).hasSize(NlSocket.MAX_DUMP_ATTEMPTS);
    }

    @Test
    void dumpFailuresCarryErrnoAndExtendedAck() {
        FakeTransport refused = new FakeTransport(req -> List.of(kernel(error(seq(req), Rtm.RTM_GETNEIGH, Errno.EINVAL,
                "Invalid values in header for neighbor dump request"))));
        assertThatThrownBy(() -> new NlSocket(refused, LIMITS).dump(request(Rtm.RTM_GETNEIGH), FIRST_INT))
                .isInstanceOfSatisfying(NlException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.EINVAL);
                    assertThat(e.messageType()).isEqualTo(Rtm.RTM_GETNEIGH);
                    assertThat(e.extAck()).contains("Invalid values in header for neighbor dump request");
                });
        FakeTransport midway = new FakeTransport(req -> List.of(kernel(data(seq(req), 1), done(seq(req), -Errno.ENOBUFS))));
        assertThatThrownBy(() -> new NlSocket(midway, LIMITS).dump(request(Rtm.RTM_GETNEIGH), FIRST_INT))
                .isInstanceOfSatisfying(NlException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOBUFS));
    }

    @Test
    void silenceTruncationAndOverrunAreErrors() {
        FakeTransport silent = new FakeTransport(req -> List.of());
        assertThatThrownBy(() -> new NlSocket(silent, LIMITS).request(request(Rtm.RTM_GETLINK), FIRST_INT))
                .isInstanceOfSatisfying(NlException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ETIMEDOUT));
        FakeTransport huge = new FakeTransport(req -> List.of(kernel(new byte[300 * 1024])));
        assertThatThrownBy(() -> new NlSocket(huge, LIMITS).request(request(Rtm.RTM_GETLINK), FIRST_INT))
                .isInstanceOf(NlDecodeException.class).hasMessageContaining("did not fit");
        FakeTransport overrun = new FakeTransport(req -> List.of(FakeTransport.failure(Errno.ENOBUFS)));
        assertThatThrownBy(() -> new NlSocket(overrun, LIMITS).batch(List.of(request(Rtm.RTM_NEWROUTE))))
                .isInstanceOfSatisfying(NlException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.ENOBUFS);
                    assertThat(e.getMessage()).contains("must be re-read");
                });
    }

    @Test
    void requestReturnsTheAnswerOrTheKernelsError() throws Exception {
        FakeTransport t = new FakeTransport(req -> List.of(kernel(data(seq(req), 7))));
        assertThat(new NlSocket(t, LIMITS).request(request(Rtm.RTM_GETLINK), FIRST_INT)).contains(7);
        FakeTransport missing = new FakeTransport(req -> List.of(kernel(error(seq(req), Rtm.RTM_GETLINK, Errno.ENODEV, null))));
        assertThatThrownBy(() -> new NlSocket(missing, LIMITS).request(request(Rtm.RTM_GETLINK), FIRST_INT))
                .isInstanceOfSatisfying(NlException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENODEV));
    }

    /** 7 requests with at most 3 per datagram: 3 datagrams, only each one's last request asks for an ACK. */
    @Test
    void batchesRequestsPerDatagramAndPinsFailuresToTheirIndex() throws Exception {
        FakeTransport t = new FakeTransport(datagram -> {
            List<byte[]> replies = new ArrayList<>();
            forEachMessage(datagram, (offset, s) -> {
                int payload = ByteBuffer.wrap(datagram).order(ByteOrder.nativeOrder()).getInt(offset + 16);
                boolean ack = (FakeTransport.flags(datagram, offset) & Nl.NLM_F_ACK) != 0;
                if (payload == 1 || payload == 6) {
                    replies.add(error(s, Rtm.RTM_NEWROUTE, Errno.EEXIST, "File exists"));
                } else if (ack) {
                    replies.add(error(s, Rtm.RTM_NEWROUTE, 0, null));
                }
            });
            return List.of(kernel(replies.toArray(byte[][]::new)));
        });
        List<byte[]> requests = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            requests.add(new MessageWriter(Rtm.RTM_NEWROUTE, Nl.NLM_F_ACK).u32(i).build());
        }
        BatchOutcome out = new NlSocket(t, LIMITS).batch(requests);

        assertThat(t.sent).hasSize(3);
        assertThat(out.size()).isEqualTo(7);
        assertThat(out.failures()).extracting(BatchOutcome.Failure::index).containsExactly(1, 6);
        assertThat(out.failures().getFirst().reply().extAck()).contains("File exists");
        List<Boolean> acks = new ArrayList<>();
        for (byte[] d : t.sent) {
            forEachMessage(d, (offset, s) -> acks.add((FakeTransport.flags(d, offset) & Nl.NLM_F_ACK) != 0));
        }
        assertThat(acks).containsExactly(false, false, true, false, false, true, true);
    }

    @Test
    void batchRespectsTheByteLimitAndSendsOversizedRequestsAlone() throws Exception {
        FakeTransport t = new FakeTransport(datagram -> {
            List<byte[]> acks = new ArrayList<>();
            forEachMessage(datagram, (offset, s) -> {
                if ((FakeTransport.flags(datagram, offset) & Nl.NLM_F_ACK) != 0) {
                    acks.add(error(s, Rtm.RTM_NEWROUTE, 0, null));
                }
            });
            return List.of(kernel(acks.toArray(byte[][]::new)));
        });
        NlSocket socket = new NlSocket(t, new NlSocket.BatchLimits(1024, 100));
        MessageWriter big = new MessageWriter(Rtm.RTM_NEWROUTE, 0);
        big.attr(1, new byte[2000]);
        BatchOutcome out = socket.batch(List.of(new MessageWriter(Rtm.RTM_NEWROUTE, 0).build(), big.build(),
                new MessageWriter(Rtm.RTM_NEWROUTE, 0).build()));
        assertThat(out.allSucceeded()).isTrue();
        assertThat(t.sent).extracting(d -> d.length).containsExactly(16, 2020, 16);
    }

    private interface MessageVisitor {
        void visit(int offset, int seq);
    }

    private static void forEachMessage(byte[] datagram, MessageVisitor v) {
        ByteBuffer b = ByteBuffer.wrap(datagram).order(ByteOrder.nativeOrder());
        for (int off = 0; off < datagram.length; off += Nl.align(b.getInt(off))) {
            v.visit(off, b.getInt(off + 8));
        }
    }

    private static byte[] request(int type) {
        return new MessageWriter(type, 0).build();
    }

    private static byte[] data(int seq, int value) {
        return message(Rtm.RTM_NEWROUTE, Nl.NLM_F_MULTI, seq, intPayload(value));
    }

    private static byte[] intPayload(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }
}
