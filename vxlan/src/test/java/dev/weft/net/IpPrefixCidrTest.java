package dev.weft.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.weft.net.IpAddresses;
import dev.weft.net.IpPrefix;

class IpPrefixCidrTest {

    @Test
    void parsesIpv4AndKeepsHostBits() {
        IpPrefix c = IpPrefix.parseCidr("10.42.3.1/24");
        assertThat(c.isIpv4()).isTrue();
        assertThat(c.length()).isEqualTo(24);
        assertThat(c.toString()).isEqualTo("10.42.3.1/24");
        assertThat(IpAddresses.format(c.networkAddress())).isEqualTo("10.42.3.0");
        assertThat(c.network()).isEqualTo(IpPrefix.parseCidr("10.42.3.0/24"));
        assertThat(c).isNotEqualTo(IpPrefix.parseCidr("10.42.3.0/24"));
    }

    @Test
    void firstHostIsDotOne() {
        IpPrefix c = IpPrefix.parseCidr("10.42.3.0/24");
        assertThat(IpAddresses.format(c.firstHost())).isEqualTo("10.42.3.1");
        assertThat(c.firstHostPrefix().toString()).isEqualTo("10.42.3.1/24");
        assertThat(IpPrefix.parseCidr("10.0.0.4/30").firstHostPrefix().toString()).isEqualTo("10.0.0.5/30");
        assertThat(IpPrefix.parseCidr("fd00:42::/64").firstHostPrefix().toString()).isEqualTo("fd00:42::1/64");
        assertThatThrownBy(() -> IpPrefix.parseCidr("10.0.0.1/32").firstHost()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void ipv6IsPrintedInRfc5952Form() {
        assertThat(IpPrefix.parseCidr("FD00:0:0:0:0:0:0:0/48").toString()).isEqualTo("fd00::/48");
        assertThat(IpPrefix.parseCidr("2001:db8:0:0:1:0:0:1/128").toString()).isEqualTo("2001:db8::1:0:0:1/128");
        assertThat(IpPrefix.parseCidr("2001:db8:0:1:1:1:1:1/64").toString()).isEqualTo("2001:db8:0:1:1:1:1:1/64");
        assertThat(IpPrefix.parseCidr("::/0").toString()).isEqualTo("::/0");
        assertThat(IpPrefix.parseCidr("fd42:0:0:3::/64").isIpv4()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.42.0.0", "10.42.0.0/", "10.42.0.0/33", "10.42.0.0/016", "10.42.0.0/-1",
            "10.42.0/16", "010.42.0.0/16", "10.42.0.256/24", " 10.42.0.0/16", "10.42.0.0/16 ", "localhost/8",
            "example.com/24", "10.42.0.0/16/1", "fd00::/129", "::ffff:10.0.0.1/120", "fe80::1%eth0/64", "[fd00::]/64",
            "1/8", "0x0a.0.0.0/8"})
    void rejectsAnythingButAStrictCidr(String text) {
        assertThatThrownBy(() -> IpPrefix.parseCidr(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CIDR");
    }

    @Test
    void rejectsHugeInputWithAnExcerpt() {
        String huge = "1".repeat(100_000) + "/8";
        assertThatThrownBy(() -> IpPrefix.parseCidr(huge)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(100002 chars)");
    }

    @Test
    void containment() {
        IpPrefix net = IpPrefix.parseCidr("10.42.0.0/16");
        assertThat(net.contains(IpPrefix.parseCidr("10.42.255.0/24"))).isTrue();
        assertThat(net.contains(IpPrefix.parseCidr("10.42.0.0/16"))).isTrue();
        assertThat(net.contains(IpPrefix.parseCidr("10.42.0.0/15"))).isFalse();
        assertThat(net.contains(IpPrefix.parseCidr("10.43.0.0/24"))).isFalse();
        assertThat(net.contains(IpPrefix.parseCidr("fd00::/64"))).isFalse();
        assertThat(net.contains(IpAddresses.parse("10.42.7.9"))).isTrue();
        assertThat(net.contains(IpAddresses.parse("10.41.255.255"))).isFalse();
        assertThat(IpPrefix.parseCidr("0.0.0.0/0").contains(IpPrefix.parseCidr("255.255.255.255/32"))).isTrue();
        assertThat(IpPrefix.parseCidr("fd00::/8").contains(IpPrefix.parseCidr("fdff:ffff::/32"))).isTrue();
    }

    @Test
    void overlapsIsSymmetricAndFamilyAware() {
        IpPrefix a = IpPrefix.parseCidr("10.42.0.0/23");
        IpPrefix b = IpPrefix.parseCidr("10.42.1.0/24");
        IpPrefix c = IpPrefix.parseCidr("10.42.2.0/24");
        assertThat(a.overlaps(b)).isTrue();
        assertThat(b.overlaps(a)).isTrue();
        assertThat(a.overlaps(c)).isFalse();
        assertThat(a.overlaps(IpPrefix.parseCidr("::/0"))).isFalse();
    }

    @Test
    void valueRange() {
        IpPrefix c = IpPrefix.parseCidr("10.0.0.0/30");
        assertThat(c.lastValue().subtract(c.networkValue()).intValue()).isEqualTo(3);
        assertThat(c.hostBits()).isEqualTo(2);
    }
}
