package dev.weft.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpPrefixTest {
    @Test
    void parsesIpv4AndClearsHostBits() {
        IpPrefix p = IpPrefix.parse("10.42.3.1/24");
        assertThat(p.isIpv4()).isTrue();
        assertThat(p.toString()).isEqualTo("10.42.3.1/24");
        assertThat(p.network().toString()).isEqualTo("10.42.3.0/24");
        assertThat(IpPrefix.parse("10.42.3.200/26").network().toString()).isEqualTo("10.42.3.192/26");
        assertThat(IpPrefix.parse("0.0.0.0/0").network().toString()).isEqualTo("0.0.0.0/0");
    }

    @ParameterizedTest
    @CsvSource({
        "fd00:10:42:3::1/64, fd00:10:42:3::1/64, fd00:10:42:3::/64",
        "FD00:0:0:0:0:0:0:1/128, fd00::1/128, fd00::1/128",
        "2001:db8:0:0:1:0:0:1/64, 2001:db8::1:0:0:1/64, 2001:db8::/64",
        "::/0, ::/0, ::/0",
        "2001:db8:0:1:1:1:1:1/64, 2001:db8:0:1:1:1:1:1/64, 2001:db8:0:1::/64"
    })
    void parsesAndFormatsIpv6Canonically(String in, String canonical, String network) {
        IpPrefix p = IpPrefix.parse(in);
        assertThat(p.isIpv4()).isFalse();
        assertThat(p.toString()).isEqualTo(canonical);
        assertThat(p.network().toString()).isEqualTo(network);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.42.3.1", "10.42.3.1/33", "10.42.3/24", "10.42.3.256/24", "010.1.1.1/8",
        "10.1.1.1/-1", "10.1.1.1/+8", "10.1.1.1/08", "1.2.3.4.5/8", "fd00::1::2/64", "fd00:12345::/64",
        "fd00::1/129", "fd00::g/64", "1:2:3:4:5:6:7:8:9/64", "1:2:3:4:5:6:7/64", "/24", "x/1", "10.1.1.1/２４", "::ffff:10.1.2.3/128"})
    void rejectsMalformedPrefixes(String s) {
        assertThatThrownBy(() -> IpPrefix.parseCidr(s)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(s);
    }

    @Test
    void firstHostIsWhatHostLocalUsesAsGateway() {
        assertThat(IpPrefix.format(IpPrefix.parse("10.42.3.77/24").firstHost())).isEqualTo("10.42.3.1");
        assertThat(IpPrefix.format(IpPrefix.parse("10.42.255.255/16").firstHost())).isEqualTo("10.42.0.1");
        assertThat(IpPrefix.format(IpPrefix.parse("fd00:42:0:3::9/64").firstHost())).isEqualTo("fd00:42:0:3::1");
    }

    @Test
    void containment() {
        IpPrefix net = IpPrefix.parse("10.42.0.0/16");
        assertThat(net.contains(IpPrefix.parse("10.42.3.1/24"))).isTrue();
        assertThat(net.contains(IpPrefix.parse("10.43.3.1/24"))).isFalse();
        assertThat(net.contains(IpPrefix.parse("10.0.0.0/8"))).isFalse();
        assertThat(net.contains(IpPrefix.parse("fd00::/64"))).isFalse();
        assertThat(IpPrefix.parse("10.42.3.0/24").contains(IpAddresses.parse("10.42.3.77"))).isTrue();
        assertThat(IpPrefix.parse("fd00:42::/56").contains(IpPrefix.parse("fd00:42:0:3::/64"))).isTrue();
    }
}
