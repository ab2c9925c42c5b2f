package dev.weft.nl;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The attributes (TLVs) of one message or nest, indexed by type for constant-time lookup.
 * Types above {@code maxType} are skipped, as are their contents; when a type repeats, the last
 * one wins, as in the kernel's own parser. Every accessor checks the attribute's size.
 */
public final class Attributes {
    private final ByteBuffer buffer;
    private final int[] offset;
    private final int[] length;

    private Attributes(ByteBuffer buffer, int maxType) {
        this.buffer = buffer;
        this.offset = new int[maxType + 1];
        this.length = new int[maxType + 1];
        Arrays.fill(offset, -1);
    }

    /** Parses the TLVs in bytes {@code [start, end)}. */
    public static Attributes parse(ByteBuffer buffer, int start, int end, int maxType) throws NlDecodeException {
        Attributes a = new Attributes(buffer, maxType);
        if (start < 0 || end > buffer.limit() || start > end + 3) {
            throw new NlDecodeException("attribute range [" + start + ", " + end + ") outside the buffer");
        }
        int p = start;
        // Fewer than 4 bytes left is alignment padding after the last attribute.
        while (end - p >= Nl.NLA_HDRLEN) {
            int len = buffer.getShort(p) & 0xffff;
            int type = buffer.getShort(p + 2) & Nl.NLA_TYPE_MASK;
            if (len < Nl.NLA_HDRLEN || len > end - p) {
                throw new NlDecodeException("attribute type " + type + " at offset " + p + " has length " + len
                        + " but " + (end - p) + " bytes remain");
            }
            if (type <= maxType) {
                a.offset[type] = p + Nl.NLA_HDRLEN;
                a.length[type] = len - Nl.NLA_HDRLEN;
            }
            p += Nl.align(len);
        }
        return a;
    }

    public boolean has(int type) {
        return type < offset.length && offset[type] >= 0;
    }

    /** Payload size of a present attribute. */
    public int size(int type) throws NlDecodeException {
        require(type, 0);
        return length[type];
    }

    public int u8(int type) throws NlDecodeException {
        require(type, 1);
        return buffer.get(offset[type]) & 0xff;
    }

    public int u16(int type) throws NlDecodeException {
        require(type, 2);
        return buffer.getShort(offset[type]) & 0xffff;
    }

    /** A 16-bit value in network byte order, e.g. IFLA_VXLAN_PORT. */
    public int be16(int type) throws NlDecodeException {
        require(type, 2);
        int p = offset[type];
        return (buffer.get(p) & 0xff) << 8 | buffer.get(p + 1) & 0xff;
    }

    public int u32(int type) throws NlDecodeException {
        require(type, 4);
        return buffer.getInt(offset[type]);
    }

    public byte[] bytes(int type) throws NlDecodeException {
        require(type, 0);
        byte[] out = new byte[length[type]];
        buffer.get(offset[type], out);
        return out;
    }

    /** A NUL-terminated (or unterminated) string. */
    public String string(int type) throws NlDecodeException {
        require(type, 0);
        int n = 0;
        while (n < length[type] && buffer.get(offset[type] + n) != 0) {
            n++;
        }
        byte[] out = new byte[n];
        buffer.get(offset[type], out);
        return new String(out, StandardCharsets.UTF_8);
    }

    /** An IPv4 (4 bytes) or IPv6 (16 bytes) address in network byte order. */
    public InetAddress address(int type) throws NlDecodeException {
        byte[] raw = bytes(type);
        if (raw.length != 4 && raw.length != 16) {
            throw new NlDecodeException("attribute type " + type + " holds " + raw.length
                    + " bytes, not an IPv4 or IPv6 address");
        }
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new NlDecodeException("attribute type " + type + ": " + e.getMessage());
        }
    }

    /** The attributes nested in attribute {@code type}. */
    public Attributes nested(int type, int maxType) throws NlDecodeException {
        require(type, 0);
        return parse(buffer, offset[type], offset[type] + length[type], maxType);
    }

    private void require(int type, int minSize) throws NlDecodeException {
        if (!has(type)) {
            throw new NlDecodeException("attribute type " + type + " is missing");
        }
        if (length[type] < minSize) {
            throw new NlDecodeException("attribute type " + type + " has " + length[type] + " bytes, needs "
                    + minSize);
        }
    }
}
