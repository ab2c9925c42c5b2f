package dev.weft.cni.shim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import dev.weft.cni.json.JsonObject;
import dev.weft.cni.skel.Log;
import dev.weft.cni.types.CniException;
import dev.weft.cni.types.CniVersion;
import org.junit.jupiter.api.Test;

class DelegateRendererTest {
    static final SubnetEnv V4 = SubnetEnv.parse(ShimFixture.SUBNET_ENV);
    static final SubnetEnv DUAL = SubnetEnv.parse(ShimFixture.SUBNET_ENV
            + "FLANNEL_IPV6_NETWORK=fd00:42::/56\nFLANNEL_IPV6_SUBNET=fd00:42:0:3::1/64\n");

    final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    final Log log = new Log(new PrintStream(logged, true), false);

    static ShimConf conf(String json) throws CniException {
        return ShimConf.parse(FakeDelegate.parse(json));
    }

    @Test
    void minimalConfigurationGivesFlannelsDefaults() throws Exception {
        JsonObject d = DelegateRenderer.render(conf("{\"name\":\"cbr0\"}"), V4, CniVersion.V0_4_0, log);
        assertThat(d.toJson()).isEqualTo("{\"cniVersion\":\"0.4.0\",\"name\":\"cbr0\",\"type\":\"bridge\","
                + "\"isGateway\":true,\"ipMasq\":false,\"mtu\":1410,\"ipam\":{\"type\":\"host-local\","
                + "\"ranges\":[[{\"subnet\":\"10.42.3.0/24\"}]],\"routes\":[{\"dst\":\"10.42.0.0/16\",\"gw\":\"10.42.3.1\"}]}}");
    }

    @Test
    void ipMasqIsTheOppositeOfTheAgents() throws Exception {
        SubnetEnv agentDoesNotMasq = SubnetEnv.parse(ShimFixture.SUBNET_ENV.replace("IPMASQ=true", "IPMASQ=false"));
        assertThat(DelegateRenderer.render(conf("{\"name\":\"n\"}"), agentDoesNotMasq, CniVersion.V1_0_0, log)
                .optBool("ipMasq")).isTrue();
    }

    @Test
    void userDelegateKeysWinExceptTheOnesTheShimOwns() throws Exception {
        ShimConf c = conf("""
                {"name":"n","delegate":{"type":"ptp","mtu":1300,"ipMasq":true,"name":"other","cniVersion":"0.1.0",
                 "custom":{"nested":[1.0,2e2]},"ipam":{"type":"dhcp"},"prevResult":{}}}""");
        JsonObject d = DelegateRenderer.render(c, V4, CniVersion.V1_0_0, log);
        assertThat(d.optString("type")).isEqualTo("ptp");
        assertThat(d.has("isGateway")).as("isGateway is a bridge setting").isFalse();
        assertThat(d.optInt("mtu")).isEqualTo(1300);
        assertThat(d.optBool("ipMasq")).isTrue();
        assertThat(d.optString("name")).isEqualTo("n");
        assertThat(d.optString("cniVersion")).isEqualTo("1.0.0");
        assertThat(d.get("custom").toJson()).isEqualTo("{\"nested\":[1.0,2e2]}");
        assertThat(d.optObject("ipam").optString("type")).isEqualTo("host-local");
        assertThat(d.has("prevResult")).isFalse();
        assertThat(logged.toString()).contains("delegate.ipam is ignored");
    }

    @Test
    void userIpamKeysAndRoutesAreKeptRangesAreGenerated() throws Exception {
        ShimConf c = conf("""
                {"name":"n","ipam":{"type":"host-local","dataDir":"/tmp/x","routes":[{"dst":"0.0.0.0/0"},
                 {"dst":"10.42.0.0/16","gw":"10.42.3.1"}],"subnet":"192.168.0.0/24","ranges":[[{"subnet":"1.0.0.0/8"}]]}}""");
        JsonObject ipam = DelegateRenderer.render(c, V4, CniVersion.V1_0_0, log).optObject("ipam");
        assertThat(ipam.toJson()).isEqualTo("{\"type\":\"host-local\",\"dataDir\":\"/tmp/x\","
                + "\"ranges\":[[{\"subnet\":\"10.42.3.0/24\"}]],"
                + "\"routes\":[{\"dst\":\"0.0.0.0/0\",\"gw\":\"10.42.3.1\"},{\"dst\":\"10.42.0.0/16\",\"gw\":\"10.42.3.1\"}]}");
        assertThat(logged.toString()).contains("ipam.subnet is ignored").contains("ipam.ranges is ignored");
    }

    @Test
    void routesWithoutAGatewayGetTheOneHostLocalAssigns() throws Exception {
        ShimConf c = conf("{\"name\":\"n\",\"ipam\":{\"routes\":[{\"dst\":\"192.168.0.0/16\",\"gw\":\"10.42.3.9\"},"
                + "{\"dst\":\"fd00:1::/64\"},{\"dst\":\"bogus\"}]}}");
        JsonObject ipam = DelegateRenderer.render(c, V4, CniVersion.V1_0_0, log).optObject("ipam");
        assertThat(ipam.get("routes").toJson()).isEqualTo("[{\"dst\":\"192.168.0.0/16\",\"gw\":\"10.42.3.9\"},"
                + "{\"dst\":\"fd00:1::/64\"},{\"dst\":\"bogus\"},{\"dst\":\"10.42.0.0/16\",\"gw\":\"10.42.3.1\"}]");
    }

    @Test
    void dualStackGetsARangeAndARoutePerFamily() throws Exception {
        JsonObject ipam = DelegateRenderer.render(conf("{\"name\":\"n\"}"), DUAL, CniVersion.V1_0_0, log).optObject("ipam");
        assertThat(ipam.get("ranges").toJson())
                .isEqualTo("[[{\"subnet\":\"10.42.3.0/24\"}],[{\"subnet\":\"fd00:42:0:3::/64\"}]]");
        assertThat(ipam.get("routes").toJson()).isEqualTo("[{\"dst\":\"10.42.0.0/16\",\"gw\":\"10.42.3.1\"},"
                + "{\"dst\":\"fd00:42::/56\",\"gw\":\"fd00:42:0:3::1\"}]");
    }

    static final SubnetEnv V6_ONLY = SubnetEnv.parse("FLANNEL_IPV6_NETWORK=fd00:42::/56\n"
            + "FLANNEL_IPV6_SUBNET=fd00:42:0:3::1/64\nFLANNEL_MTU=1430\nFLANNEL_IPMASQ=false\n");

    @Test
    void dualStackIsOneDelegateWithTheBridgeDefaultsAndBothFamiliesInIpam() throws Exception {
        JsonObject d = DelegateRenderer.render(conf("{\"name\":\"cbr0\",\"delegate\":{\"isDefaultGateway\":true}}"), DUAL,
                CniVersion.V1_0_0, log);
        assertThat(d.toJson()).isEqualTo("{\"cniVersion\":\"1.0.0\",\"name\":\"cbr0\",\"type\":\"bridge\","
                + "\"isDefaultGateway\":true,\"isGateway\":true,\"ipMasq\":false,\"mtu\":1410,"
                + "\"ipam\":{\"type\":\"host-local\","
                + "\"ranges\":[[{\"subnet\":\"10.42.3.0/24\"}],[{\"subnet\":\"fd00:42:0:3::/64\"}]],"
                + "\"routes\":[{\"dst\":\"10.42.0.0/16\",\"gw\":\"10.42.3.1\"},{\"dst\":\"fd00:42::/56\",\"gw\":\"fd00:42:0:3::1\"}]}}");
    }

    @Test
    void ipv6OnlyGetsOnlyTheIpv6RangeAndRoute() throws Exception {
        JsonObject d = DelegateRenderer.render(conf("{\"name\":\"n\"}"), V6_ONLY, CniVersion.V1_0_0, log);
        assertThat(d.optBool("ipMasq")).isTrue();
        assertThat(d.optInt("mtu")).isEqualTo(1430);
        JsonObject ipam = d.optObject("ipam");
        assertThat(ipam.get("ranges").toJson()).isEqualTo("[[{\"subnet\":\"fd00:42:0:3::/64\"}]]");
        assertThat(ipam.get("routes").toJson()).isEqualTo("[{\"dst\":\"fd00:42::/56\",\"gw\":\"fd00:42:0:3::1\"}]");
    }

    @Test
    void anIpv6SubnetWrittenWithHostBitsIsMaskedForHostLocal() throws Exception {
        SubnetEnv hostBits = SubnetEnv.parse(ShimFixture.SUBNET_ENV
                + "FLANNEL_IPV6_NETWORK=fd00:42:0:0:ff::/56\nFLANNEL_IPV6_SUBNET=fd00:42:0:3:dead:beef:0:9/64\n");
        JsonObject ipam = DelegateRenderer.render(conf("{\"name\":\"n\"}"), hostBits, CniVersion.V1_0_0, log).optObject("ipam");
        assertThat(ipam.get("ranges").toJson())
                .isEqualTo("[[{\"subnet\":\"10.42.3.0/24\"}],[{\"subnet\":\"fd00:42:0:3::/64\"}]]");
        assertThat(ipam.get("routes").toJson()).contains("{\"dst\":\"fd00:42::/56\",\"gw\":\"fd00:42:0:3::1\"}");
    }

    @Test
    void userDefaultRoutesGetTheGatewayOfTheirOwnFamily() throws Exception {
        ShimConf c = conf("{\"name\":\"n\",\"ipam\":{\"routes\":[{\"dst\":\"0.0.0.0/0\"},{\"dst\":\"::/0\"},"
                + "{\"dst\":\"FD00:42::/56\"}]}}");
        JsonObject ipam = DelegateRenderer.render(c, DUAL, CniVersion.V1_0_0, log).optObject("ipam");
        assertThat(ipam.get("routes").toJson()).isEqualTo("[{\"dst\":\"0.0.0.0/0\",\"gw\":\"10.42.3.1\"},"
                + "{\"dst\":\"::/0\",\"gw\":\"fd00:42:0:3::1\"},{\"dst\":\"FD00:42::/56\",\"gw\":\"fd00:42:0:3::1\"},"
                + "{\"dst\":\"10.42.0.0/16\",\"gw\":\"10.42.3.1\"}]");
        // an IPv6 route on a v4-only node has no gateway to get and is left to the delegate
        assertThat(DelegateRenderer.render(c, V4, CniVersion.V1_0_0, log).optObject("ipam").get("routes").toJson())
                .contains("{\"dst\":\"::/0\"}");
    }

    @Test
    void runtimeConfigIsPassedThroughVerbatim() throws Exception {
        ShimConf c = conf("{\"name\":\"n\",\"runtimeConfig\":{\"portMappings\":[{\"hostPort\":80.0}],\"ips\":[\"10.42.3.9\"]}}");
        assertThat(DelegateRenderer.render(c, V4, CniVersion.V1_0_0, log).get("runtimeConfig").toJson())
                .isEqualTo("{\"portMappings\":[{\"hostPort\":80.0}],\"ips\":[\"10.42.3.9\"]}");
    }

    @Test
    void mistypedIpamIsCode7() {
        assertThatThrownBy(() -> DelegateRenderer.render(conf("{\"name\":\"n\",\"ipam\":{\"routes\":{}}}"), V4,
                CniVersion.V1_0_0, log)).isInstanceOfSatisfying(CniException.class, e -> assertThat(e.code()).isEqualTo(7));
        assertThatThrownBy(() -> DelegateRenderer.render(conf("{\"name\":\"n\",\"ipam\":{\"routes\":[\"x\"]}}"), V4,
                CniVersion.V1_0_0, log)).hasMessageContaining("ipam.routes must hold objects");
    }
}
