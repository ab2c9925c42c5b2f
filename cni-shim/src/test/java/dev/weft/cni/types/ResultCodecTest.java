package dev.weft.cni.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.cni.json.JsonObject;
import dev.weft.cni.json.JsonReader;
import dev.weft.net.IpPrefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ResultCodecTest {
    /** What bridge v1.1.1 prints for a 1.0.0 configuration, plus a route and DNS. */
    static final String BRIDGE_100 = """
            {"cniVersion":"1.0.0","interfaces":[{"name":"cni0","mac":"4a:1e:7f:00:00:01"},
             {"name":"veth7c1a","mac":"4a:1e:7f:00:00:02"},
             {"name":"eth0","mac":"4a:1e:7f:00:00:03","sandbox":"/var/run/netns/pod"}],
             "ips":[{"interface":2,"address":"10.42.3.7/24","gateway":"10.42.3.1"},
                    {"interface":2,"address":"fd00:42:0:3::7/64","gateway":"fd00:42:0:3::1"}],
             "routes":[{"dst":"10.42.0.0/16","gw":"10.42.3.1"},{"dst":"0.0.0.0/0"}],
             "dns":{"nameservers":["10.43.0.10"],"search":["svc.cluster.local"]}}""";

    static JsonObject json(String s) throws Exception {
        return (JsonObject) JsonReader.parse(s);
    }

    @Test
    void rendersEachVersionInItsOwnShape() throws Exception {
        Result r = ResultCodec.parse(json(BRIDGE_100));
        JsonObject v031 = ResultCodec.render(r, CniVersion.V0_3_1);
        assertThat(v031.toJson()).contains("\"cniVersion\":\"0.3.1\"")
                .contains("{\"version\":\"4\",\"interface\":2,\"address\":\"10.42.3.7/24\",\"gateway\":\"10.42.3.1\"}")
                .contains("{\"version\":\"6\",\"interface\":2,\"address\":\"fd00:42:0:3::7/64\"");
        assertThat(ResultCodec.render(r, CniVersion.V0_3_0).toJson()).contains("\"version\":\"4\"");
        assertThat(ResultCodec.render(r, CniVersion.V0_4_0).toJson()).contains("\"version\":\"4\"");
        JsonObject v100 = ResultCodec.render(r, CniVersion.V1_0_0);
        assertThat(v100.toJson()).doesNotContain("\"version\"")
                .contains("\"routes\":[{\"dst\":\"10.42.0.0/16\",\"gw\":\"10.42.3.1\"},{\"dst\":\"0.0.0.0/0\"}]")
                .contains("\"dns\":{\"nameservers\":[\"10.43.0.10\"],\"search\":[\"svc.cluster.local\"]}");
        assertThat(v100).isEqualTo(withVersion(json(BRIDGE_100), "1.0.0"));
    }

    @Test
    void readsPre10ResultsWithVersionTags() throws Exception {
        Result r = ResultCodec.parse(json("""
                {"cniVersion":"0.4.0","interfaces":[{"name":"eth0","sandbox":"/ns"}],
                 "ips":[{"version":"4","interface":0,"address":"10.1.0.5/16"}],"dns":{}}"""));
        assertThat(r.ips()).singleElement().satisfies(ip -> assertThat(ip.address().toString()).isEqualTo("10.1.0.5/16"));
        assertThat(ResultCodec.render(r, CniVersion.V1_0_0).toJson())
                .isEqualTo("{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":\"/ns\"}],"
                        + "\"ips\":[{\"interface\":0,\"address\":\"10.1.0.5/16\"}],\"dns\":{}}");
    }

    @Test
    void v11ExtrasAppearOnlyIn11() throws Exception {
        Result r = ResultCodec.parse(json("""
                {"cniVersion":"1.1.0","interfaces":[{"name":"eth0","mtu":1450,"sandbox":"/ns","socketPath":"/s",
                 "pciID":"0000:00:01.0"}],"ips":[{"address":"10.1.0.5/16"}],
                 "routes":[{"dst":"10.0.0.0/8","mtu":1400,"advmss":1360,"priority":10,"table":100,"scope":0}]}"""));
        String v11 = ResultCodec.render(r, CniVersion.V1_1_0).toJson();
        assertThat(v11).contains("\"mtu\":1450", "\"socketPath\":\"/s\"", "\"pciID\":\"0000:00:01.0\"",
                "\"advmss\":1360", "\"priority\":10", "\"table\":100", "\"scope\":0");
        String v10 = ResultCodec.render(r, CniVersion.V1_0_0).toJson();
        assertThat(v10).doesNotContain("mtu", "socketPath", "pciID", "advmss", "priority", "table", "scope");
    }

    @ParameterizedTest
    @EnumSource(CniVersion.class)
    void renderThenParseIsLossless(CniVersion v) throws Exception {
        Result r = ResultCodec.parse(json(BRIDGE_100));
        assertThat(ResultCodec.parse(ResultCodec.render(r, v))).isEqualTo(r);
    }

    @Test
    void sandboxAddressesAreThoseOfTheContainerInterface() throws Exception {
        Result r = ResultCodec.parse(json(BRIDGE_100));
        assertThat(r.sandboxAddresses("eth0")).extracting(IpPrefix::toString)
                .containsExactly("10.42.3.7/24", "fd00:42:0:3::7/64");
        assertThat(r.sandboxAddresses("cni0")).isEmpty(); // a host interface, no sandbox
        assertThat(r.sandboxAddresses("net1")).isEmpty();
    }

    @Test
    void rejectsInconsistentResults() {
        assertThatThrownBy(() -> ResultCodec.parse(json("{\"ips\":[{\"version\":\"6\",\"address\":\"10.1.0.5/16\"}]}")))
                .hasMessageContaining("tagged version");
        assertThatThrownBy(() -> ResultCodec.parse(json("{\"ips\":[{\"interface\":1,\"address\":\"10.1.0.5/16\"}]}")))
                .hasMessageContaining("points at interface 1");
        assertThatThrownBy(() -> ResultCodec.parse(json("{\"ips\":[{\"address\":\"10.1.0.5\"}]}")))
                .hasMessageContaining("CIDR");
        assertThatThrownBy(() -> ResultCodec.parse(json("{\"ips\":[{\"address\":\"10.1.0.5/8\",\"gateway\":\"x\"}]}")))
                .hasMessageContaining("\"gateway\"").hasMessageContaining("\"x\"");
        assertThatThrownBy(() -> ResultCodec.parse(json("{\"interfaces\":[{\"mac\":\"aa\"}]}")))
                .hasMessageContaining("name");
        assertThatThrownBy(() -> ResultCodec.parse(json("{\"routes\":[5]}"))).hasMessageContaining("objects");
        assertThatThrownBy(() -> ResultCodec.parse(json("{\"ips\":\"x\"}"))).hasMessageContaining("\"ips\" must be an array");
    }

    @Test
    void errorsRenderAsTheSpecsErrorObject() throws Exception {
        CniException e = new CniException(ErrorCodes.TRY_AGAIN_LATER, "subnet.env missing", "agent down");
        assertThat(e.toJson(CniVersion.V0_4_0).toJson())
                .isEqualTo("{\"cniVersion\":\"0.4.0\",\"code\":11,\"msg\":\"subnet.env missing\",\"details\":\"agent down\"}");
        CniException back = CniException.fromJson(json("{\"code\":7,\"msg\":\"bad\"}"));
        assertThat(back.code()).isEqualTo(7);
        assertThat(back.details()).isNull();
        assertThat(CniException.fromJson(json("{\"code\":\"7\",\"msg\":\"bad\"}"))).isNull();
        assertThat(CniException.fromJson(json("{\"msg\":\"bad\"}"))).isNull();
    }

    @Test
    void versionsCompareAndParse() {
        assertThat(CniVersion.parse("1.1.0")).isEqualTo(CniVersion.LATEST);
        assertThat(CniVersion.parse("0.2.0")).isNull();
        assertThat(CniVersion.V1_0_0.atLeast(CniVersion.V0_4_0)).isTrue();
        assertThat(CniVersion.V0_3_1.atLeast(CniVersion.V0_4_0)).isFalse();
        assertThat(CniVersion.supportedList()).isEqualTo("0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0");
    }

    private static JsonObject withVersion(JsonObject o, String v) {
        return o.put("cniVersion", v);
    }
}
