package dev.weft.nl;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds one netlink request: header, fixed struct, attributes, nests. Sequence number and port
 * id are left 0; the socket stamps the sequence number when it sends. Host byte order except
 * where a kernel field is defined big-endian (addresses, {@link #attrBe16}).
 */
public final class MessageWriter {
    private ByteBuffer buf;

    /** Starts a message of {@code type} with {@code flags} (NLM_F_REQUEST is added). */
    public MessageWriter(int type, int flags) {
        buf = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
        buf.putInt(0).putShort((short) type).putShort((short) (flags | Nl.NLM_F_REQUEST)).putInt(0).putInt(0);
    }

    public MessageWriter u8(int v) {
        ensure(1).put((byte) v);
        return this;
    }

    public MessageWriter u16(int v) {
        ensure(2).putShort((short) v);
        return this;
    }

    public MessageWriter u32(int v) {
        ensure(4).putInt(v);
        return this;
    }

    /** Raw bytes of a fixed struct, padded to 4 bytes. */
    public MessageWriter bytes(byte[] v) {
        ensure(v.length).put(v);
        pad();
        return this;
    }

    public MessageWriter attr(int type, byte[] value) {
        ensure(Nl.NLA_HDRLEN + value.length + 3);
        buf.putShort((short) (Nl.NLA_HDRLEN + value.length)).putShort((short) type).put(value);
        pad();
        return this;
    }

    public MessageWriter attrU8(int type, int v) {
        return attr(type, new byte[] {(byte) v});
    }

    public MessageWriter attrU16(int type, int v) {
        ensure(8).putShort((short) 6).putShort((short) type).putShort((short) v);
        pad();
        return this;
    }

    public MessageWriter attrU32(int type, int v) {
        ensure(8).putShort((short) 8).putShort((short) type).putInt(v);
        return this;
    }

    /** A 16-bit value in network byte order, e.g. a UDP port. */
    public MessageWriter attrBe16(int type, int v) {
        return attr(type, new byte[] {(byte) (v >>> 8), (byte) v});
    }

    /** A zero-length attribute whose presence is the value (NLA_FLAG). */
    public MessageWriter attrFlag(int type) {
        return attr(type, new byte[0]);
    }

    /** A NUL-terminated string. */
    public MessageWriter attrString(int type, String v) {
        byte[] s = v.getBytes(StandardCharsets.UTF_8);
        return attr(type, Arrays.copyOf(s, s.length + 1));
    }

    /** A string without the terminating NUL, the way iproute2 sends IFLA_INFO_KIND. */
    public MessageWriter attrBareString(int type, String v) {
        return attr(type, v.getBytes(StandardCharsets.UTF_8));
    }

    public MessageWriter attrAddress(int type, InetAddress a) {
        return attr(type, a.getAddress());
    }

    /** Opens a nest; pass the returned mark to {@link #endNested}. */
    public int beginNested(int type) {
        int mark = ensure(4).position();
        buf.putShort((short) 0).putShort((short) type);
        return mark;
    }

    public MessageWriter endNested(int mark) {
        buf.putShort(mark, (short) (buf.position() - mark));
        return this;
    }

    /** Finishes the message: writes its length and returns its bytes. */
    public byte[] build() {
        buf.putInt(0, buf.position());
        return Arrays.copyOf(buf.array(), buf.position());
    }

    private void pad() {
        int padding = Nl.align(buf.position()) - buf.position();
        ensure(padding);
        for (int i = 0; i < padding; i++) {
            buf.put((byte) 0);
        }
    }

    private ByteBuffer ensure(int more) {
        if (buf.remaining() < more) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + more))
                    .order(ByteOrder.nativeOrder());
            bigger.put(buf.array(), 0, buf.position());
            buf = bigger;
        }
        return buf;
    }
}
