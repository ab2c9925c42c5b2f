package dev.weft.nl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteOrder;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The request encoder against bytes derived by hand from the uapi layouts: struct nlmsghdr
 * (len u32, type u16, flags u16, seq u32, pid u32), struct nlattr (len u16, type u16, value,
 * padding to 4), nests whose length covers their children.
 */
class MessageWriterTest {
    @BeforeAll
    static void littleEndianHost() {
        assertThat(ByteOrder.nativeOrder()).as("golden bytes are little-endian").isEqualTo(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void headerCarriesLengthTypeAndFlagsWithRequestAdded() {
        byte[] m = new MessageWriter(Rtm.RTM_GETLINK, Nl.NLM_F_DUMP).u32(0x11223344).build();
        assertThat(m).isEqualTo(Golden.hex("""
                14000000 // nlmsg_len 20
                1200     // RTM_GETLINK
                0103     // NLM_F_REQUEST | NLM_F_DUMP
                00000000 // seq: stamped at send time
                00000000 // pid: the kernel fills it in
                44332211 // payload u32
                """));
    }

    @Test
    void attributesArePaddedToFourBytes() {
        byte[] m = new MessageWriter(Rtm.RTM_NEWLINK, 0)
                .attrU8(7, 1)
                .attrU16(9, 0xabcd)
                .attrBe16(15, 8472)
                .attrString(3, "abc")
                .attrFlag(23)
                .attrAddress(4, InetAddress.ofLiteral("198.18.0.1"))
                .build();
        assertThat(m).isEqualTo(Golden.hex("""
                3c000000 1000 0100 00000000 00000000
                0500 0700 01 000000         // u8 value, 3 padding bytes
                0600 0900 cdab 0000         // u16 host order
                0600 0f00 2118 0000         // be16 8472 = 0x2118 in network order
                0800 0300 61626300          // "abc" NUL-terminated
                0400 1700                   // flag: header only
                0800 0400 c6120001          // address in network order
                """));
    }

    @Test
    void nestsMeasureTheirChildren() {
        MessageWriter w = new MessageWriter(Rtm.RTM_NEWLINK, Nl.NLM_F_ACK);
        int outer = w.beginNested(18);
        w.attrString(1, "vxlan");
        int inner = w.beginNested(2);
        w.attrU32(1, 42);
        w.endNested(inner);
        w.endNested(outer);
        assertThat(w.build()).isEqualTo(Golden.hex("""
                2c000000 1000 0500 00000000 00000000
                1c00 1200                   // IFLA_LINKINFO, 28 bytes
                  0a00 0100 76786c616e00 0000 // IFLA_INFO_KIND "vxlan"
                  0c00 0200                 // IFLA_INFO_DATA, 12 bytes
                    0800 0100 2a000000      // IFLA_VXLAN_ID 42
                """));
    }

    @Test
    void growsPastItsInitialBuffer() {
        MessageWriter w = new MessageWriter(Rtm.RTM_NEWLINK, 0);
        for (int i = 0; i < 100; i++) {
            w.attrU32(1, i);
        }
        byte[] m = w.build();
        assertThat(m).hasSize(16 + 100 * 8);
        assertThat(Golden.buffer(m).getInt(0)).isEqualTo(m.length);
        assertThat(Golden.buffer(m).getInt(16 + 99 * 8 + 4)).isEqualTo(99);
    }
}
