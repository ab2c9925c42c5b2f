package dev.weft.cni.shim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import dev.weft.cni.json.JsonArray;
import dev.weft.cni.json.JsonObject;
import dev.weft.cni.skel.Command;
import dev.weft.cni.types.CniVersion;
import dev.weft.cni.types.ErrorCodes;
import dev.weft.cni.types.ResultCodec;
import dev.weft.net.IpPrefix;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ADD, CHECK and errors on dual-stack and IPv6-only nodes, through the skeleton against a fake bridge. */
class DualStackShimTest {
    static final String DUAL_ENV = ShimFixture.SUBNET_ENV
            + "FLANNEL_IPV6_NETWORK=fd00:42::/56\nFLANNEL_IPV6_SUBNET=fd00:42:0:3::1/64\n";
    /** What bridge + host-local answer for a dual-stack range set: one address per family on eth0. */
    static final String DUAL_RESULT = """
            {"cniVersion":"1.0.0","interfaces":[{"name":"cni0","mac":"4a:00:00:00:00:01"},
             {"name":"veth1","mac":"4a:00:00:00:00:02"},
             {"name":"eth0","mac":"4a:00:00:00:00:03","sandbox":"/var/run/netns/p1"}],
             "ips":[{"interface":2,"address":"10.42.3.7/24","gateway":"10.42.3.1"},
                    {"interface":2,"address":"fd00:42:0:3::7/64","gateway":"fd00:42:0:3::1"}],
             "routes":[{"dst":"10.42.0.0/16","gw":"10.42.3.1"},{"dst":"fd00:42::/56","gw":"fd00:42:0:3::1"},
                       {"dst":"0.0.0.0/0","gw":"10.42.3.1"},{"dst":"::/0","gw":"fd00:42:0:3::1"}],"dns":{}}""";

    @TempDir
    Path tmp;
    ShimFixture f;

    @BeforeEach
    void setUp() {
        f = new ShimFixture(tmp);
        f.writeSubnetEnv(DUAL_ENV);
        f.delegate.responders.put(Command.ADD, call -> ResultCodec.render(
                ResultCodec.parse(FakeDelegate.parse(DUAL_RESULT)), CniVersion.parse(call.conf().optString("cniVersion"))));
    }

    @Test
    void addHandsTheBridgeOneRangeSetPerFamilyAndReturnsBothAddresses() throws Exception {
        ShimFixture.Out o = f.run("ADD", "c1", f.conf("1.0.0"));
        assertThat(o.exit()).as(o.stdout() + o.stderr()).isZero();
        JsonObject ipam = f.delegate.calls(Command.ADD).getFirst().conf().optObject("ipam");
        assertThat(ipam.get("ranges").toJson())
                .isEqualTo("[[{\"subnet\":\"10.42.3.0/24\"}],[{\"subnet\":\"fd00:42:0:3::/64\"}]]");
        assertThat(ipam.get("routes").toJson()).isEqualTo("[{\"dst\":\"10.42.0.0/16\",\"gw\":\"10.42.3.1\"},"
                + "{\"dst\":\"fd00:42::/56\",\"gw\":\"fd00:42:0:3::1\"}]");
        JsonArray ips = o.json().optArray("ips");
        assertThat(ips.items()).hasSize(2);
        assertThat(ips.toJson()).contains("\"address\":\"10.42.3.7/24\"").contains("\"address\":\"fd00:42:0:3::7/64\"");
        assertThat(o.json().optArray("routes").toJson()).contains("\"dst\":\"::/0\"").contains("\"dst\":\"0.0.0.0/0\"");
        assertThat(o.stderr()).contains("added eth0 10.42.3.7/24 fd00:42:0:3::7/64");
    }

    @Test
    void aPre1ResultTagsEachAddressWithItsFamily() throws Exception {
        ShimFixture.Out o = f.run("ADD", "c1", f.conf("0.4.0"));
        assertThat(o.exit()).as(o.stdout() + o.stderr()).isZero();
        assertThat(o.json().optArray("ips").toJson())
                .contains("{\"version\":\"4\",\"interface\":2,\"address\":\"10.42.3.7/24\"")
                .contains("{\"version\":\"6\",\"interface\":2,\"address\":\"fd00:42:0:3::7/64\"");
    }

    @Test
    void checkAsksForBothAddressesAndFailsWhenTheIpv6SubnetMoved() throws Exception {
        ShimFixture.Out add = f.run("ADD", "c1", f.conf("1.0.0"));
        String prev = ",\"prevResult\":" + add.stdout().strip();
        ShimFixture.Out ok = f.run("CHECK", "c1", f.conf("1.0.0", prev));
        assertThat(ok.exit()).as(ok.stdout() + ok.stderr()).isZero();
        assertThat(f.probe.askedAddresses)
                .containsExactly(IpPrefix.parse("10.42.3.7/24"), IpPrefix.parse("fd00:42:0:3::7/64"));
        assertThat(f.delegate.calls(Command.CHECK).getFirst().conf().optObject("prevResult").toJson())
                .contains("fd00:42:0:3::7/64");

        f.writeSubnetEnv(DUAL_ENV.replace("fd00:42:0:3::1/64", "fd00:42:0:9::1/64"));
        ShimFixture.Out moved = f.run("CHECK", "c1", f.conf("1.0.0", prev));
        assertThat(moved.code()).isEqualTo(ErrorCodes.CHECK_FAILED);
        assertThat(moved.msg()).contains("fd00:42:0:3::7/64 is outside this node's subnet fd00:42:0:9::/64");

        f.writeSubnetEnv(ShimFixture.SUBNET_ENV);
        ShimFixture.Out gone = f.run("CHECK", "c1", f.conf("1.0.0", prev));
        assertThat(gone.code()).isEqualTo(ErrorCodes.CHECK_FAILED);
        assertThat(gone.msg()).contains("fd00:42:0:3::7/64").contains("subnet.env has no IPv6 subnet");
    }

    @Test
    void ipv6OnlyNodeRendersOnlyIpv6() throws Exception {
        f.writeSubnetEnv("FLANNEL_IPV6_NETWORK=fd00:42::/56\nFLANNEL_IPV6_SUBNET=fd00:42:0:3::1/64\n"
                + "FLANNEL_MTU=1430\nFLANNEL_IPMASQ=true\n");
        ShimFixture.Out o = f.run("ADD", "c1", f.conf("1.0.0"));
        assertThat(o.exit()).as(o.stdout() + o.stderr()).isZero();
        JsonObject conf = f.delegate.calls(Command.ADD).getFirst().conf();
        assertThat(conf.optInt("mtu")).isEqualTo(1430);
        assertThat(conf.optObject("ipam").get("ranges").toJson()).isEqualTo("[[{\"subnet\":\"fd00:42:0:3::/64\"}]]");
        assertThat(conf.optObject("ipam").get("routes").toJson())
                .isEqualTo("[{\"dst\":\"fd00:42::/56\",\"gw\":\"fd00:42:0:3::1\"}]");
    }

    /** A bad IPv6 line is CNI error 7 on stdout naming the file and the key; the bridge is never called. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "FLANNEL_IPV6_SUBNET=10.42.3.1/24|FLANNEL_IPV6_SUBNET=10.42.3.1/24 is not an IPv6 prefix",
        "FLANNEL_IPV6_SUBNET=fd00:99:0:3::1/64|FLANNEL_IPV6_SUBNET=fd00:99:0:3::1/64 is not inside FLANNEL_IPV6_NETWORK",
        "FLANNEL_IPV6_SUBNET=fd00:42:0:3::1/128|is too small for pods",
        "FLANNEL_IPV6_SUBNET=::ffff:10.42.3.1/120|IPv4-mapped IPv6 addresses are not accepted",
    })
    void hostileIpv6LinesAreCniErrorSeven(String line, String message) throws Exception {
        f.writeSubnetEnv(DUAL_ENV + line + "\n");
        ShimFixture.Out o = f.run("ADD", "c1", f.conf("1.0.0"));
        assertThat(o.exit()).isEqualTo(1);
        assertThat(o.code()).isEqualTo(ErrorCodes.INVALID_NETWORK_CONFIG);
        assertThat(o.msg()).startsWith(f.subnetEnv + ": ").contains(message);
        assertThat(f.delegate.calls).isEmpty();
        assertThat(f.stateFile("c1", "eth0")).doesNotExist();
    }
}
