package dev.weft.nl;

/**
 * The fixed structs that open rtnetlink payloads, one record each with its layout's encode and
 * decode. Field order and sizes follow the kernel's uapi headers; reserved/pad fields are zero.
 */
public final class Structs {
    private Structs() {
    }

    /** struct ifinfomsg: family u8, pad u8, type u16, index s32, flags u32, change u32. */
    public record IfInfoMsg(int family, int type, int index, int flags, int change) {
        public void encode(MessageWriter w) {
            w.u8(family).u8(0).u16(type).u32(index).u32(flags).u32(change);
        }

        public static IfInfoMsg decode(NlMessage m) throws NlDecodeException {
            m.requirePayload(Ifla.IFINFOMSG_SIZE, "ifinfomsg");
            var b = m.buffer();
            int p = m.payloadOffset();
            return new IfInfoMsg(b.get(p) & 0xff, b.getShort(p + 2) & 0xffff, b.getInt(p + 4), b.getInt(p + 8),
                    b.getInt(p + 12));
        }
    }

    /** struct ifaddrmsg: family u8, prefixlen u8, flags u8, scope u8, index u32. */
    public record IfAddrMsg(int family, int prefixLength, int flags, int scope, int index) {
        public void encode(MessageWriter w) {
            w.u8(family).u8(prefixLength).u8(flags).u8(scope).u32(index);
        }

        public static IfAddrMsg decode(NlMessage m) throws NlDecodeException {
            m.requirePayload(Ifa.IFADDRMSG_SIZE, "ifaddrmsg");
            var b = m.buffer();
            int p = m.payloadOffset();
            return new IfAddrMsg(b.get(p) & 0xff, b.get(p + 1) & 0xff, b.get(p + 2) & 0xff, b.get(p + 3) & 0xff,
                    b.getInt(p + 4));
        }
    }

    /** struct rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type (u8 each), flags u32. */
    public record RtMsg(int family, int dstLength, int srcLength, int tos, int table, int protocol, int scope,
                        int type, int flags) {
        public void encode(MessageWriter w) {
            w.u8(family).u8(dstLength).u8(srcLength).u8(tos).u8(table).u8(protocol).u8(scope).u8(type).u32(flags);
        }

        public static RtMsg decode(NlMessage m) throws NlDecodeException {
            m.requirePayload(Rta.RTMSG_SIZE, "rtmsg");
            var b = m.buffer();
            int p = m.payloadOffset();
            return new RtMsg(b.get(p) & 0xff, b.get(p + 1) & 0xff, b.get(p + 2) & 0xff, b.get(p + 3) & 0xff,
                    b.get(p + 4) & 0xff, b.get(p + 5) & 0xff, b.get(p + 6) & 0xff, b.get(p + 7) & 0xff,
                    b.getInt(p + 8));
        }
    }

    /** struct ndmsg: family u8, pad u8, pad u16, ifindex s32, state u16, flags u8, type u8. */
    public record NdMsg(int family, int index, int state, int flags, int type) {
        public void encode(MessageWriter w) {
            w.u8(family).u8(0).u16(0).u32(index).u16(state).u8(flags).u8(type);
        }

        public static NdMsg decode(NlMessage m) throws NlDecodeException {
            m.requirePayload(Nda.NDMSG_SIZE, "ndmsg");
            var b = m.buffer();
            int p = m.payloadOffset();
            return new NdMsg(b.get(p) & 0xff, b.getInt(p + 4), b.getShort(p + 8) & 0xffff, b.get(p + 10) & 0xff,
                    b.get(p + 11) & 0xff);
        }
    }

    /** struct nhmsg: family u8, scope u8 (replies only), protocol u8, reserved u8, flags u32 (RTNH_F_*). */
    public record NhMsg(int family, int scope, int protocol, int flags) {
        public void encode(MessageWriter w) {
            w.u8(family).u8(scope).u8(protocol).u8(0).u32(flags);
        }

        public static NhMsg decode(NlMessage m) throws NlDecodeException {
            m.requirePayload(Nha.NHMSG_SIZE, "nhmsg");
            var b = m.buffer();
            int p = m.payloadOffset();
            return new NhMsg(b.get(p) & 0xff, b.get(p + 1) & 0xff, b.get(p + 2) & 0xff, b.getInt(p + 4));
        }
    }
}
