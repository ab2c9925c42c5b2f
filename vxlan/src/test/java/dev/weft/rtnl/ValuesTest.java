package dev.weft.rtnl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.weft.net.IpPrefix;

/** The value records: parsing, formatting, and errors that name the bad value. */
class ValuesTest {
    @Test
    void macAddressesParseAndFormat() {
        MacAddress m = MacAddress.parse("0A:58:0a:2A:01:FF");
        assertThat(m.toString()).isEqualTo("0a:58:0a:2a:01:ff");
        assertThat(MacAddress.of(m.octets())).isEqualTo(m);
        assertThat(m.isMulticast()).isFalse();
        assertThat(MacAddress.parse("33:33:00:00:00:01").isMulticast()).isTrue();
        assertThat(MacAddress.parse("00:00:00:00:00:00").isZero()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0a:58:0a:2a:01", "0a:58:0a:2a:01:00:00", "0a-58-0a-2a-01-00", "0g:58:0a:2a:01:00",
            "a:58:0a:2a:01:00", "0a:58:0a:2a:01:+1"})
    void badMacAddressesAreRejectedWithTheValue(String text) {
        assertThatThrownBy(() -> MacAddress.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @ParameterizedTest
    @CsvSource({
        "10.42.3.7/24, 10.42.3.0/24, false",
        "10.42.3.0/24, 10.42.3.0/24, true",
        "0.0.0.0/0, 0.0.0.0/0, true",
        "10.42.3.1, 10.42.3.1/32, true",
        "fd00:42:2::1/64, fd00:42:2::/64, false",
        "fd00:42:2:0:0:0:0:0/64, fd00:42:2::/64, true",
        "10.255.255.255/9, 10.128.0.0/9, false",
    })
    void prefixesParseMaskAndPrint(String text, String network, boolean isNetwork) {
        IpPrefix p = IpPrefix.parse(text);
        assertThat(p.network().toString()).isEqualTo(network);
        assertThat(p.isNetwork()).isEqualTo(isNetwork);
        assertThat(p.network().contains(p.address())).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
        "::, ::", "::1, ::1", "1::, 1::", "fd00:42:2::, fd00:42:2::", "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1", "FE80:0:0:0:800:FF:FE00:1, fe80::800:ff:fe00:1",
        "0:0:1:0:0:0:0:0, 0:0:1::",
    })
    void ipv6TextFollowsRfc5952(String in, String out) {
        assertThat(IpPrefix.format(InetAddress.ofLiteral(in))).isEqualTo(out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.42.0.0/33", "fd00::/129", "10.42.0.0/", "10.42.0.0/x", "example.com/24", "10.42/16",
            "1.2.3.4.5/8", "/24", "10.42.0.0/-1"})
    void badPrefixesAreRejectedWithoutDnsLookups(String text) {
        assertThatThrownBy(() -> IpPrefix.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching("(?s).*(invalid|out of range|not a CIDR).*");
    }

    @Test
    void prefixContainment() {
        IpPrefix net = IpPrefix.parse("10.42.0.0/16");
        assertThat(net.contains(InetAddress.ofLiteral("10.42.200.1"))).isTrue();
        assertThat(net.contains(InetAddress.ofLiteral("10.43.0.1"))).isFalse();
        assertThat(net.contains(InetAddress.ofLiteral("::ffff:10.43.0.1"))).isFalse();
        assertThat(IpPrefix.parse("fd00::/8").contains(InetAddress.ofLiteral("10.42.0.1"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a234567890123456", ".", "..", "a/b", "a:b", "a b", "ümlaut"})
    void badInterfaceNamesAreRejected(String name) {
        assertThatThrownBy(() -> LinkNames.validate(name)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void goodInterfaceNamesPass() {
        assertThat(LinkNames.validate("flannel.1")).isEqualTo("flannel.1");
        assertThat(LinkNames.validate("flannel-v6.4096")).isEqualTo("flannel-v6.4096");
    }

    @Test
    void vxlanSpecChecksItsRanges() {
        InetAddress local = InetAddress.ofLiteral("198.18.0.1");
        assertThatThrownBy(() -> new VxlanLinkSpec("vx", 1 << 24, local, 2, 8472, false, false, OptionalInt.empty(), Optional.empty()))
                .hasMessageContaining("VNI 16777216");
        assertThatThrownBy(() -> new VxlanLinkSpec("vx", 1, local, 2, 0, false, false, OptionalInt.empty(), Optional.empty()))
                .hasMessageContaining("port 0");
        assertThatThrownBy(() -> new VxlanLinkSpec("vx", 1, local, 0, 8472, false, false, OptionalInt.empty(), Optional.empty()))
                .hasMessageContaining("index 0");
        assertThatThrownBy(() -> new VxlanLinkSpec("vx", 1, local, 2, 8472, false, false, OptionalInt.of(40), Optional.empty()))
                .hasMessageContaining("MTU 40");
        assertThatThrownBy(() -> new VxlanLinkSpec("vx", 1, local, 2, 8472, false, false, OptionalInt.empty(),
                Optional.of(MacAddress.parse("01:00:5e:00:00:01")))).hasMessageContaining("01:00:5e:00:00:01");
    }

    @Test
    void routeFactoriesRefuseHostBitsAndMixedFamilies() {
        assertThatThrownBy(() -> Route.via(IpPrefix.parse("10.42.2.1/24"), InetAddress.ofLiteral("10.42.2.0"), 4, 87))
                .hasMessageContaining("did you mean 10.42.2.0/24");
        assertThatThrownBy(() -> Route.via(IpPrefix.parse("10.42.2.0/24"), InetAddress.ofLiteral("fd00::1"), 4, 87))
                .hasMessageContaining("fd00::1");
        assertThatThrownBy(() -> Route.onDevice(IpPrefix.parse("10.42.2.0/24"), 4, 300)).hasMessageContaining("300");
        assertThat(Route.onDevice(IpPrefix.parse("10.42.2.0/24"), 4, 87).scope()).isEqualTo(Scope.LINK);
    }

    @Test
    void requestSummariesReadLikeTheCommands() {
        InetAddress v6 = InetAddress.ofLiteral("fd00:42:2::");
        MacAddress mac = MacAddress.parse("0a:00:00:00:00:02");
        assertThat(RtnlRequest.replaceNeighbour(4, v6, mac).summary())
                .isEqualTo("neigh replace fd00:42:2:: lladdr 0a:00:00:00:00:02 dev #4 nud permanent");
        assertThat(RtnlRequest.deleteFdb(4, mac, Optional.empty()).summary()).isEqualTo("fdb del 0a:00:00:00:00:02 dev #4 self");
        assertThat(RtnlRequest.deleteRoute(Route.via(IpPrefix.parse("fd00:42:2::/64"), v6, 5, 87).withTable(1000)).summary())
                .isEqualTo("route del fd00:42:2::/64 via fd00:42:2:: dev #5 proto 87 table 1000");
        assertThat(RtnlRequest.deleteRoute(Route.onDevice(IpPrefix.parse("10.0.0.0/8"), 5, 87)).isDelete()).isTrue();
    }
}
