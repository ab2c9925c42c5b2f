package dev.weft.rtnl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.ffi.Errno;
import dev.weft.nl.NlDecodeException;
import dev.weft.nl.NlException;
import dev.weft.nl.Rtm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NetlinkExceptionTest {
    @Test
    void messageNamesRequestErrnoExtAckAndType() {
        NetlinkException e = new NetlinkException(Errno.EEXIST, Rtm.RTM_NEWLINK, "link add flannel.1 type vxlan id 1",
                "Link exists", null);
        assertThat(e.getMessage()).isEqualTo(
                "link add flannel.1 type vxlan id 1: EEXIST (File exists): Link exists [RTM_NEWLINK]");
        assertThat(e.errno()).isEqualTo(17);
        assertThat(e.errnoName()).isEqualTo("EEXIST");
        assertThat(e.messageTypeName()).isEqualTo("RTM_NEWLINK");
        assertThat(e.extAck()).contains("Link exists");
        assertThat(e.isExists()).isTrue();
        assertThat(e.isNotFound()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {Errno.ENOENT, Errno.ESRCH, Errno.ENODEV, Errno.EADDRNOTAVAIL})
    void theKernelsManyWaysOfSayingNotFound(int errno) {
        assertThat(new NetlinkException(errno, 0, "x", null, null).isNotFound()).isTrue();
    }

    @Test
    void otherPredicates() {
        assertThat(new NetlinkException(Errno.EPERM, 0, "x", null, null).isPermissionDenied()).isTrue();
        assertThat(new NetlinkException(Errno.ENETUNREACH, 0, "x", null, null).isUnreachable()).isTrue();
        assertThat(new NetlinkException(Errno.ENETUNREACH, 0, "x", null, null).getMessage()).doesNotContain("[");
    }

    @Test
    void decodeFailuresKeepTheirIdentity() {
        NetlinkException e = NetlinkException.of(new NlDecodeException("attribute type 3 is missing"), "link show eth0");
        assertThat(e).isInstanceOf(NetlinkDecodeException.class);
        assertThat(e.isMalformedReply()).isTrue();
        assertThat(e.errnoName()).isEqualTo("EBADMSG");
        assertThat(e.getMessage()).contains("link show eth0").contains("attribute type 3 is missing");
        NlException wire = new NlException(Errno.ENOBUFS, 0, null, -1, "receiving", null);
        assertThat(NetlinkException.of(wire, "batch").getCause()).isSameAs(wire);
    }

    @Test
    void errnoTableKnowsTheCommonOnesAndDegradesGracefully() {
        assertThat(Errno.describe(Errno.ENETUNREACH)).isEqualTo("ENETUNREACH (Network is unreachable)");
        assertThat(Errno.name(524)).isEqualTo("ENOTSUPP");
        assertThat(Errno.describe(9999)).isEqualTo("E9999 (Unknown error 9999)");
    }
}
