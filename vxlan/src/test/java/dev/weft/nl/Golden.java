package dev.weft.nl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * Golden netlink bytes kept under {@code src/test/resources/golden/}. Each file starts with
 * {@code #} lines saying where the bytes came from (the capture command, tool and kernel);
 * the rest is hex. All captures are from a little-endian x86-64 host, which is also the byte
 * order these tests assume.
 */
public final class Golden {
    private Golden() {
    }

    /** The bytes of {@code golden/<name>.hex}. */
    public static byte[] bytes(String name) {
        String resource = "/golden/" + name + ".hex";
        try (InputStream in = Golden.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no golden file " + resource);
            }
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines()
                    .filter(l -> !l.startsWith("#")).map(String::strip).toList();
            return HexFormat.of().parseHex(String.join("", lines));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Hand-written hex with spaces, newlines and {@code //} comments allowed. */
    public static byte[] hex(String annotated) {
        StringBuilder b = new StringBuilder();
        for (String line : annotated.split("\n")) {
            int c = line.indexOf("//");
            b.append((c < 0 ? line : line.substring(0, c)).replaceAll("\\s", ""));
        }
        return HexFormat.of().parseHex(b.toString());
    }

    /** A native-order buffer holding {@code bytes}, as a receive buffer would. */
    public static ByteBuffer buffer(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
    }

    /** A copy with the header's sequence number and port id zeroed, as requests are before sending. */
    public static byte[] withoutSeqAndPid(byte[] message) {
        byte[] copy = message.clone();
        for (int i = 8; i < 16; i++) {
            copy[i] = 0;
        }
        return copy;
    }

    /** Every message of a datagram. */
    public static List<NlMessage> messages(byte[] datagram) throws NlDecodeException {
        MessageCursor c = new MessageCursor(buffer(datagram), datagram.length);
        java.util.ArrayList<NlMessage> out = new java.util.ArrayList<>();
        while (c.hasNext()) {
            out.add(c.next());
        }
        return out;
    }
}
