package dev.weft.cni.shim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.weft.cni.types.CniException;
import dev.weft.cni.types.ErrorCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SubnetEnvTest {
    @TempDir
    Path tmp;

    /** The file subnet-lease's writer is tested against: read in place, never copied. */
    static Path golden() {
        String p = System.getProperty("weft.golden.subnetEnv");
        assertThat(p).as("surefire sets weft.golden.subnetEnv").isNotBlank();
        return Path.of(p);
    }

    @Test
    void readsTheGoldenFileTheAgentWrites() throws Exception {
        assertThat(golden()).exists();
        SubnetEnv e = SubnetEnv.read(golden());
        assertThat(e.network4()).hasToString("10.42.0.0/16");
        assertThat(e.subnet4()).hasToString("10.42.3.1/24");
        assertThat(e.mtu()).isEqualTo(1450);
        assertThat(e.ipMasq()).isTrue();
        assertThat(e.network6()).isNull();
        assertThat(e.subnet6()).isNull();
    }

    @Test
    void readsTheDualStackAndIpv6OnlyGoldenFiles() throws Exception {
        SubnetEnv dual = SubnetEnv.read(golden().resolveSibling("subnet-dual.env"));
        assertThat(dual.network4()).hasToString("10.42.0.0/16");
        assertThat(dual.subnet6()).hasToString("fd00:42:0:3::1/64");
        assertThat(dual.network6()).hasToString("fd00:42::/56");
        assertThat(dual.mtu()).isEqualTo(1430);
        SubnetEnv v6 = SubnetEnv.read(golden().resolveSibling("subnet-ipv6.env"));
        assertThat(v6.network4()).isNull();
        assertThat(v6.subnet4()).isNull();
        assertThat(v6.subnet6()).hasToString("fd00:42:0:3::1/64");
    }

    /** Hostile or mistaken IPv6 lines, each named with its key; none reaches the delegate. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "FLANNEL_IPV6_SUBNET=10.42.3.1/24|FLANNEL_IPV6_SUBNET=10.42.3.1/24 is not an IPv6 prefix",
        "FLANNEL_IPV6_SUBNET=fd00:43:0:3::1/64|FLANNEL_IPV6_SUBNET=fd00:43:0:3::1/64 is not inside FLANNEL_IPV6_NETWORK=fd00:42::/56",
        "FLANNEL_IPV6_SUBNET=fd00:42::1/48|is not inside FLANNEL_IPV6_NETWORK",
        "FLANNEL_IPV6_SUBNET=fd00:42:0:3::1/127|FLANNEL_IPV6_SUBNET=fd00:42:0:3::1/127 is too small for pods",
        "FLANNEL_IPV6_SUBNET=fd00:42:0:3::1/129|FLANNEL_IPV6_SUBNET: not a CIDR: prefix length 129 too long",
        "FLANNEL_IPV6_SUBNET=fd00:42:0:3::1/064|FLANNEL_IPV6_SUBNET: not a CIDR: bad prefix length",
        "FLANNEL_IPV6_SUBNET=::ffff:10.42.3.1/120|IPv4-mapped IPv6 addresses are not accepted",
        "FLANNEL_IPV6_SUBNET=fd00:42:0:3::1|FLANNEL_IPV6_SUBNET: not a CIDR",
        "FLANNEL_IPV6_SUBNET=fd00:42:0:3::zz/64|FLANNEL_IPV6_SUBNET: not a CIDR",
        "FLANNEL_IPV6_NETWORK=10.0.0.0/8|FLANNEL_IPV6_NETWORK=10.0.0.0/8 is not an IPv6 prefix",
        "FLANNEL_SUBNET=10.42.3.1/31|FLANNEL_SUBNET=10.42.3.1/31 is too small for pods",
    })
    void hostileIpv6ValuesAreNamed(String override, String message) {
        String base = "FLANNEL_NETWORK=10.42.0.0/16\nFLANNEL_SUBNET=10.42.3.1/24\nFLANNEL_IPV6_NETWORK=fd00:42::/56\n"
                + "FLANNEL_IPV6_SUBNET=fd00:42:0:3::1/64\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n";
        assertThatThrownBy(() -> SubnetEnv.parse(base + override + "\n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aHugeIpv6ValueIsCutShortInTheMessage() {
        String huge = "fd00:42:0:3::1/64" + "0".repeat(5000);
        assertThatThrownBy(() -> SubnetEnv.parse("FLANNEL_IPV6_NETWORK=fd00:42::/56\nFLANNEL_IPV6_SUBNET=" + huge
                + "\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n")).satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
    }

    @Test
    void readsDualStackAndIpv6Only() {
        SubnetEnv dual = SubnetEnv.parse("""
                FLANNEL_NETWORK=10.42.0.0/16
                FLANNEL_SUBNET=10.42.3.1/24
                FLANNEL_IPV6_NETWORK=fd00:42::/56
                FLANNEL_IPV6_SUBNET=fd00:42:0:3::1/64
                FLANNEL_MTU=1430
                FLANNEL_IPMASQ=false
                """);
        assertThat(dual.subnet6()).hasToString("fd00:42:0:3::1/64");
        assertThat(dual.ipMasq()).isFalse();
        SubnetEnv v6 = SubnetEnv.parse("FLANNEL_IPV6_NETWORK=fd00:42::/56\nFLANNEL_IPV6_SUBNET=fd00:42:0:3::1/64\n"
                + "FLANNEL_MTU=1430\nFLANNEL_IPMASQ=true\n");
        assertThat(v6.subnet4()).isNull();
        assertThat(v6.network6()).hasToString("fd00:42::/56");
    }

    @Test
    void toleratesCommentsBlankLinesQuotesAndUnknownKeys() {
        SubnetEnv e = SubnetEnv.parse("# written by flanneld\n\n  FLANNEL_NETWORK = \"10.42.0.0/16\"\r\n"
                + "FLANNEL_SUBNET=10.42.3.1/24\r\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=1\nFLANNEL_FUTURE=x\n");
        assertThat(e.network4()).hasToString("10.42.0.0/16");
        assertThat(e.ipMasq()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "FLANNEL_SUBNET=10.42.3.1/24|has FLANNEL_SUBNET but not FLANNEL_NETWORK",
        "FLANNEL_NETWORK=10.42.0.0/16|has FLANNEL_NETWORK but not FLANNEL_SUBNET",
        "FLANNEL_IPV6_NETWORK=fd00::/56|has FLANNEL_IPV6_NETWORK but not FLANNEL_IPV6_SUBNET",
        "FLANNEL_MTU=1450|has neither",
    })
    void incompleteFilesNameWhatIsMissing(String content, String message) {
        assertThatThrownBy(() -> SubnetEnv.parse(content + "\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n"))
                .hasMessageContaining(message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "FLANNEL_MTU=|FLANNEL_MTU= is not an MTU",
        "FLANNEL_MTU=9x|is not an MTU",
        "FLANNEL_MTU=67|is not an MTU",
        "FLANNEL_MTU=65536|is not an MTU",
        "FLANNEL_IPMASQ=yes|is not true or false",
        "FLANNEL_SUBNET=10.43.3.1/24|is not inside FLANNEL_NETWORK",
        "FLANNEL_SUBNET=10.42.3.1|CIDR",
        "FLANNEL_NETWORK=fd00::/16|is not an IPv4 prefix",
        "garbage line|is not KEY=VALUE",
    })
    void invalidValuesAreNamed(String override, String message) {
        String base = "FLANNEL_NETWORK=10.42.0.0/16\nFLANNEL_SUBNET=10.42.3.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n";
        assertThatThrownBy(() -> SubnetEnv.parse(base + override + "\n")).hasMessageContaining(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"FLANNEL_MTU", "FLANNEL_IPMASQ"})
    void mtuAndIpMasqAreRequired(String key) {
        String text = ShimFixture.SUBNET_ENV.lines().filter(l -> !l.startsWith(key)).reduce("", (a, b) -> a + b + "\n");
        assertThatThrownBy(() -> SubnetEnv.parse(text)).hasMessageContaining(key + " is missing");
    }

    @Test
    void readMapsMissingUnreadableAndInvalidToTheirCodes() throws Exception {
        Path p = tmp.resolve("subnet.env");
        assertThatThrownBy(() -> SubnetEnv.read(p)).isInstanceOfSatisfying(CniException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCodes.TRY_AGAIN_LATER));
        Files.createDirectory(p);
        assertThatThrownBy(() -> SubnetEnv.read(p)).isInstanceOfSatisfying(CniException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCodes.IO_FAILURE));
        Files.delete(p);
        Files.writeString(p, "FLANNEL_MTU=1450\n");
        assertThatThrownBy(() -> SubnetEnv.read(p)).isInstanceOfSatisfying(CniException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_NETWORK_CONFIG);
            assertThat(e.msg()).startsWith(p + ": ");
        });
    }
}
