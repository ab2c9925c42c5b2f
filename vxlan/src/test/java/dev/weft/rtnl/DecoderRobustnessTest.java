package dev.weft.rtnl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.weft.nl.ErrorReply;
import dev.weft.nl.Golden;
import dev.weft.nl.MessageCursor;
import dev.weft.nl.NlDecodeException;
import dev.weft.nl.NlMessage;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Hostile input: every golden reply cut at every length, with every length field corrupted, and
 * random buffers. Decoding must end, quickly, in either a value or an {@link NlDecodeException}:
 * never an index error, never a hang.
 */
class DecoderRobustnessTest {
    private static final List<String> REPLIES = List.of("reply-link-vxlan4", "reply-link-vxlan6", "reply-link-veth",
            "reply-neigh-dump", "reply-fdb-dump", "reply-route-dump-v4", "reply-route-dump-v6", "reply-addr-dump",
            "reply-route-get-v4", "reply-error-extack", "reply-ack", "reply-done");

    @Test
    void everyTruncationOfEveryReplyFailsCleanly() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            int decodeErrors = 0;
            for (String name : REPLIES) {
                byte[] full = Golden.bytes(name);
                for (int len = 0; len < full.length; len++) {
                    decodeErrors += decodeAll(full, len);
                }
            }
            assertThat(decodeErrors).as("truncations must be noticed").isGreaterThan(REPLIES.size());
        });
    }

    /** A truncated message whose header was patched to claim only what remains: the attributes are cut. */
    @Test
    void messagesWhoseLengthLiesAboutTheirContentFailCleanly() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (String name : REPLIES) {
                byte[] full = Golden.bytes(name);
                int first = Golden.buffer(full).getInt(0);
                for (int len = 16; len < first; len++) {
                    byte[] cut = java.util.Arrays.copyOf(full, len);
                    Golden.buffer(cut).putInt(0, len);
                    decodeAll(cut, len);
                }
            }
        });
    }

    @Test
    void corruptedLengthFieldsAnywhereFailCleanly() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            Random random = new Random(20240611);
            for (String name : REPLIES) {
                byte[] full = Golden.bytes(name);
                for (int at = 0; at + 2 <= full.length; at += 2) {
                    for (int value : new int[] {0, 1, 3, 4, 0xffff, random.nextInt(0x10000)}) {
                        byte[] bad = full.clone();
                        Golden.buffer(bad).putShort(at, (short) value);
                        decodeAll(bad, bad.length);
                    }
                }
            }
        });
    }

    @Test
    void randomBuffersFailCleanly() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            Random random = new Random(42);
            for (int i = 0; i < 20_000; i++) {
                byte[] junk = new byte[random.nextInt(300)];
                random.nextBytes(junk);
                if (junk.length >= 8 && random.nextBoolean()) {
                    // Plausible header, so the decoders (not just the framing) see the garbage.
                    ByteBuffer b = Golden.buffer(junk);
                    b.putInt(0, junk.length);
                    b.putShort(4, (short) (16 + random.nextInt(16)));
                }
                decodeAll(junk, junk.length);
            }
        });
    }

    /** Runs every decoder over every message; returns 1 if a decode exception ended it, else 0. */
    private static int decodeAll(byte[] bytes, int length) {
        try {
            MessageCursor c = new MessageCursor(Golden.buffer(bytes), length);
            while (c.hasNext()) {
                NlMessage m = c.next();
                LinkCodec.decode(m);
                AddressCodec.decode(m);
                RouteCodec.decode(m);
                NeighbourCodec.decodeNeighbour(m);
                NeighbourCodec.decodeFdb(m);
                RtnlMonitor.decode(m);
                if (m.type() == dev.weft.nl.Nl.NLMSG_ERROR) {
                    ErrorReply.decode(m);
                }
            }
            return 0;
        } catch (NlDecodeException e) {
            return 1;
        }
    }
}
