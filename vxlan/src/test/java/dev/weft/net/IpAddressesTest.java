package dev.weft.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.Inet6Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressesTest {

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "example.com", "1.2.3", "1.2.3.4.5", "01.2.3.4", "256.1.1.1", "1.2.3.4 ",
            "", "::ffff:1.2.3.4", "fe80::1%1", "1:2:3:4:5:6:7:8:9", "gggg::1", "[::1]"})
    void rejectsNonLiterals(String text) {
        assertThatThrownBy(() -> IpAddresses.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesLiteralsWithoutLookup() {
        assertThat(IpAddresses.format(IpAddresses.parse("198.18.0.1"))).isEqualTo("198.18.0.1");
        assertThat(IpAddresses.parse("fd00::1")).isInstanceOf(Inet6Address.class);
        assertThat(IpAddresses.format(IpAddresses.parse("0:0:0:0:0:0:0:1"))).isEqualTo("::1");
        assertThat(IpAddresses.format(IpAddresses.parse("1:0:0:2:0:0:0:3"))).isEqualTo("1:0:0:2::3");
        assertThat(IpAddresses.format(IpAddresses.parse("1:0:2:0:3:0:4:0"))).isEqualTo("1:0:2:0:3:0:4:0");
    }

    @Test
    void integerRoundTrip() {
        var a = IpAddresses.parse("10.42.255.1");
        assertThat(IpAddresses.fromBigInteger(IpAddresses.toBigInteger(a), true)).isEqualTo(a);
        var b = IpAddresses.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
        assertThat(IpAddresses.fromBigInteger(IpAddresses.toBigInteger(b), false)).isEqualTo(b);
        assertThatThrownBy(() -> IpAddresses.fromBigInteger(BigInteger.ONE.shiftLeft(32), true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void usableUnicast() {
        assertThat(IpAddresses.isUsableUnicast(IpAddresses.parse("198.18.0.7"))).isTrue();
        assertThat(IpAddresses.isUsableUnicast(IpAddresses.parse("169.254.1.1"))).isTrue();
        for (String bad : new String[] {"0.0.0.0", "127.0.0.1", "224.0.0.1", "255.255.255.255", "::", "::1", "ff02::1"}) {
            assertThat(IpAddresses.isUsableUnicast(IpAddresses.parse(bad))).as(bad).isFalse();
        }
    }
}
