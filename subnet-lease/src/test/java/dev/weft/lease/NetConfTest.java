package dev.weft.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.weft.net.IpFamily;
import dev.weft.net.IpPrefix;

class NetConfTest {
  private final List<String> warnings = new ArrayList<>();

  private NetConf parse(String json) throws ConfigException {
    return NetConf.parse(json, warnings::add);
  }

  @Test
  void minimalConfigGetsFlannelDefaults() throws Exception {
    NetConf c = parse("{\"Network\": \"10.42.0.0/16\"}");
    assertThat(c.network()).contains(IpPrefix.parseCidr("10.42.0.0/16"));
    assertThat(c.subnetLen()).isEqualTo(24);
    assertThat(c.subnetMin()).isEmpty();
    assertThat(c.subnetMax()).isEmpty();
    assertThat(c.enableIpv4()).isTrue();
    assertThat(c.enableIpv6()).isFalse();
    assertThat(c.ipv6SubnetLen()).isEqualTo(64);
    assertThat(c.backend()).isEqualTo(new Backend("vxlan", 1, 8472, OptionalInt.empty(), false, false, false));
    assertThat(c.ipv4Pool().orElseThrow().size()).isEqualTo(256);
    assertThat(c.ipv6Pool()).isEmpty();
    assertThat(warnings).isEmpty();
  }

  @Test
  void keysMatchCaseInsensitivelyAsInFlannel() throws Exception {
    NetConf c = parse("""
        {"network": "10.50.0.0/16", "SUBNETLEN": 26, "subnetmin": "10.50.1.0", "SubNetMax": "10.50.2.192/26",
         "backend": {"type": "VXLAN", "vni": 4096, "port": 4789, "mtu": 1400, "directrouting": true, "gbp": true,
                     "LEARNING": false}}
        """);
    assertThat(c.network().orElseThrow().toString()).isEqualTo("10.50.0.0/16");
    assertThat(c.subnetLen()).isEqualTo(26);
    assertThat(c.subnetMin()).contains(IpPrefix.parseCidr("10.50.1.0/26"));
    assertThat(c.subnetMax()).contains(IpPrefix.parseCidr("10.50.2.192/26"));
    assertThat(c.backend()).isEqualTo(new Backend("vxlan", 4096, 4789, OptionalInt.of(1400), true, true, false));
    assertThat(c.ipv4Pool().orElseThrow().size()).isEqualTo(8);
    assertThat(warnings).isEmpty();
  }

  @Test
  void unknownAndDuplicateKeysAreWarnedNotFatal() throws Exception {
    NetConf c = parse("""
        {"Network": "10.1.0.0/16", "network": "10.42.0.0/16", "Colour": "blue",
         "Backend": {"Type": "vxlan", "MacPrefix": "0E:2A"}, "EnableNFTables": true}
        """);
    assertThat(c.network().orElseThrow().toString()).isEqualTo("10.42.0.0/16");
    assertThat(warnings).anyMatch(w -> w.contains("\"network\" appears more than once") || w.contains("network appears more than once"));
    assertThat(warnings).anyMatch(w -> w.contains("unknown field \"Colour\""));
    assertThat(warnings).anyMatch(w -> w.contains("unknown field \"Backend.MacPrefix\""));
    assertThat(warnings).anyMatch(w -> w.contains("EnableNFTables"));
  }

  @Test
  void hostGwIsABackendWithoutSettings() throws Exception {
    NetConf c = parse("{\"Network\": \"10.42.0.0/16\", \"Backend\": {\"Type\": \"Host-GW\", \"VNI\": 7}}");
    assertThat(c.backend().isHostGw()).isTrue();
    assertThat(c.backend()).isEqualTo(Backend.hostGw());
    assertThat(warnings).anyMatch(w -> w.contains("unknown field \"Backend.VNI\""));
    assertThat(parse("{\"Network\": \"10.42.0.0/16\", \"Backend\": {\"Type\": \"vxlan\"}}").backend().isHostGw()).isFalse();
  }

  @Test
  void hostBitsAreNormalisedWithAWarning() throws Exception {
    assertThat(parse("{\"Network\": \"10.42.7.1/16\"}").network().orElseThrow().toString()).isEqualTo("10.42.0.0/16");
    assertThat(warnings).singleElement().asString().contains("host bits");
  }

  @Test
  void defaultSubnetLenFitsSmallNetworks() throws Exception {
    assertThat(parse("{\"Network\": \"10.0.0.0/22\"}").subnetLen()).isEqualTo(24);
    assertThat(parse("{\"Network\": \"10.0.0.0/24\"}").subnetLen()).isEqualTo(25);
    assertThat(parse("{\"Network\": \"10.0.0.0/28\"}").subnetLen()).isEqualTo(29);
    assertThat(parse("{\"Network\": \"10.0.0.0/29\"}").subnetLen()).isEqualTo(30);
  }

  @Test
  void ipv6FieldsAreParsedAndValidated() throws Exception {
    NetConf c = parse("""
        {"Network": "10.42.0.0/16", "EnableIPv6": true, "IPv6Network": "fd42::/48", "IPv6SubnetLen": 64,
         "IPv6SubnetMin": "fd42:0:0:10::", "IPv6SubnetMax": "fd42:0:0:20::/64"}
        """);
    assertThat(c.enableIpv6()).isTrue();
    assertThat(c.ipv6Network()).contains(IpPrefix.parseCidr("fd42::/48"));
    assertThat(c.ipv6SubnetMin()).contains(IpPrefix.parseCidr("fd42:0:0:10::/64"));
    assertThat(c.ipv6Pool().orElseThrow().size()).isEqualTo(0x11);
  }

  @Test
  void ipv6NetworkWithoutEnableIsKeptButWarned() throws Exception {
    NetConf c = parse("{\"Network\": \"10.42.0.0/16\", \"IPv6Network\": \"fd42::/48\"}");
    assertThat(c.enableIpv6()).isFalse();
    assertThat(c.ipv6Network()).isPresent();
    assertThat(warnings).anyMatch(w -> w.contains("EnableIPv6 is false"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      {}                                                                       | Network       | (missing)
      {"Network": 42}                                                          | Network       | 42
      {"Network": "10.42.0.0"}                                                 | Network       | "10.42.0.0"
      {"Network": "fd00::/48"}                                                 | Network       | "fd00::/48"
      {"Network": "10.42.0.0/31"}                                              | Network       | "10.42.0.0/31"
      {"Network": "10.42.0.0/16", "SubnetLen": 31}                             | SubnetLen     | 31
      {"Network": "10.42.0.0/16", "SubnetLen": 16}                             | SubnetLen     | 16
      {"Network": "10.42.0.0/16", "SubnetLen": 24.5}                           | SubnetLen     | 24.5
      {"Network": "10.42.0.0/16", "SubnetLen": "24"}                           | SubnetLen     | "24"
      {"Network": "10.42.0.0/16", "SubnetMin": "10.43.0.0"}                    | SubnetMin     | "10.43.0.0"
      {"Network": "10.42.0.0/16", "SubnetMin": "10.42.0.7"}                    | SubnetMin     | "10.42.0.7"
      {"Network": "10.42.0.0/16", "SubnetMax": "10.42.1.0/25"}                 | SubnetMax     | "10.42.1.0/25"
      {"Network": "10.42.0.0/16", "SubnetMax": "nope"}                         | SubnetMax     | "nope"
      {"Network": "10.42.0.0/16", "SubnetMin": "10.42.9.0", "SubnetMax": "10.42.8.0"} | SubnetMin | "10.42.9.0"
      {"Network": "10.42.0.0/16", "EnableIPv4": false}                         | EnableIPv4    | false
      {"Network": "10.42.0.0/16", "EnableIPv4": "yes"}                         | EnableIPv4    | "yes"
      {"Network": "10.42.0.0/16", "EnableIPv6": true}                          | IPv6Network   | (missing)
      {"Network": "10.42.0.0/16", "IPv6Network": "10.1.0.0/16"}                | IPv6Network   | "10.1.0.0/16"
      {"Network": "10.42.0.0/16", "IPv6Network": "fd00::/48", "IPv6SubnetLen": 127} | IPv6SubnetLen | 127
      {"Network": "10.42.0.0/16", "IPv6Network": "fd00::/48", "IPv6SubnetLen": 129} | IPv6SubnetLen | 129
      {"Network": "10.42.0.0/16", "IPv6Network": "fd00::/48", "IPv6SubnetMin": "fd01::"} | IPv6SubnetMin | "fd01::"
      {"Network": "10.42.0.0/16", "Backend": "vxlan"}                          | Backend       | "vxlan"
      {"Network": "10.42.0.0/16", "Backend": {"Type": "udp"}}                  | Backend.Type  | "udp"
      {"Network": "10.42.0.0/16", "Backend": {"Type": 7}}                      | Backend.Type  | 7
      {"Network": "10.42.0.0/16", "Backend": {"VNI": 16777216}}                | Backend.VNI   | 16777216
      {"Network": "10.42.0.0/16", "Backend": {"VNI": -1}}                      | Backend.VNI   | -1
      {"Network": "10.42.0.0/16", "Backend": {"VNI": "1"}}                     | Backend.VNI   | "1"
      {"Network": "10.42.0.0/16", "Backend": {"Port": 65536}}                  | Backend.Port  | 65536
      {"Network": "10.42.0.0/16", "Backend": {"MTU": 40}}                      | Backend.MTU   | 40
      {"Network": "10.42.0.0/16", "Backend": {"GBP": 1}}                       | Backend.GBP   | 1
      {"Network": "10.42.0.0/16", "Backend": {"DirectRouting": "true"}}        | Backend.DirectRouting | "true"
      """)
  void invalidValuesNameTheFieldAndTheValue(String json, String field, String value) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.field()).isEqualTo(field);
          assertThat(e.value()).isEqualTo(value);
          assertThat(e.getMessage()).startsWith("net-conf.json: " + field + " = " + value + ": ");
        });
  }

  @Test
  void aConfigEnablingNeitherFamilyNamesEnableIPv4() {
    for (String json : new String[] {
        "{\"Network\": \"10.42.0.0/16\", \"EnableIPv4\": false}",
        "{\"EnableIPv4\": false, \"EnableIPv6\": false, \"IPv6Network\": \"fd00::/48\"}",
        "{\"enableipv4\": false, \"EnableIPv6\": null}"}) {
      assertThatThrownBy(() -> NetConf.parse(json, w -> { })).as(json).isInstanceOfSatisfying(ConfigException.class, e -> {
        assertThat(e.field()).isEqualTo("EnableIPv4");
        assertThat(e.getMessage()).contains("neither IPv4 nor IPv6");
      });
    }
  }

  @Test
  void anIpv6OnlyConfigNeedsNoNetworkAndLeasesOnlyIpv6() throws ConfigException {
    List<String> warnings = new ArrayList<>();
    NetConf c = NetConf.parse("{\"EnableIPv4\": false, \"EnableIPv6\": true, \"IPv6Network\": \"fd00::/48\"}", warnings::add);
    assertThat(c.ipv6Only()).isTrue();
    assertThat(c.families()).containsExactly(IpFamily.V6);
    assertThat(c.network()).isEmpty();
    assertThat(c.ipv4Pool()).isEmpty();
    assertThat(c.ipv6Pool().orElseThrow().size()).isEqualTo(65536);
    assertThat(c.clusterNetworks()).containsExactly(IpPrefix.parseCidr("fd00::/48"));
    assertThat(c.clusterNetwork(IpFamily.V4)).isEmpty();
    assertThat(warnings).isEmpty();
  }

  @Test
  void anIpv6OnlyConfigStillValidatesAGivenNetworkAndSaysItIsOff() throws ConfigException {
    List<String> warnings = new ArrayList<>();
    NetConf c = NetConf.parse("{\"EnableIPv4\": false, \"EnableIPv6\": true, \"Network\": \"10.42.0.0/16\","
        + " \"IPv6Network\": \"fd00::/48\"}", warnings::add);
    assertThat(c.network()).contains(IpPrefix.parseCidr("10.42.0.0/16"));
    assertThat(c.ipv4Pool()).isEmpty();
    assertThat(c.clusterNetworks()).containsExactly(IpPrefix.parseCidr("fd00::/48"));
    assertThat(warnings).singleElement().asString().contains("EnableIPv4 is false");
    assertThatThrownBy(() -> parse("{\"EnableIPv4\": false, \"EnableIPv6\": true, \"Network\": \"10.42.0.0\","
        + " \"IPv6Network\": \"fd00::/48\"}")).isInstanceOfSatisfying(ConfigException.class,
            e -> assertThat(e.field()).isEqualTo("Network"));
  }

  @Test
  void anIpv6OnlyConfigIgnoresIpv4SubnetFieldsWithAWarning() throws ConfigException {
    List<String> warnings = new ArrayList<>();
    NetConf.parse("{\"EnableIPv4\": false, \"EnableIPv6\": true, \"SubnetLen\": 26, \"IPv6Network\": \"fd00::/48\"}",
        warnings::add);
    assertThat(warnings).singleElement().asString().contains("SubnetLen ignored");
  }

  @Test
  void anIpv6OnlyConfigWithoutIpv6NetworkNamesIt() {
    assertThatThrownBy(() -> parse("{\"EnableIPv4\": false, \"EnableIPv6\": true}"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.field()).isEqualTo("IPv6Network"));
  }

  @Test
  void brokenJsonSaysWhere() {
    assertThatThrownBy(() -> parse("{\"Network\": \"10.42.0.0/16\",\n  \"SubnetLen\": }"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("not valid JSON at line 2");
    assertThatThrownBy(() -> parse("{\"Network\": \"10.42.0.0/16\"} trailing"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> parse("[1,2]")).isInstanceOf(ConfigException.class).hasMessageContaining("JSON object");
    assertThatThrownBy(() -> parse("   ")).isInstanceOf(ConfigException.class).hasMessageContaining("empty");
  }

  @Test
  void hugeDocumentsAndValuesAreCutShort() {
    assertThatThrownBy(() -> parse("{\"Network\": \"" + "x".repeat(200_000) + "\"}"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("larger than");
    assertThatThrownBy(() -> parse("{\"Network\": \"" + "x".repeat(5_000) + "\"}"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.getMessage()).hasSizeLessThan(400));
  }

  @Test
  void portZeroMeansTheKernelDefault() throws Exception {
    assertThat(parse("{\"Network\": \"10.42.0.0/16\", \"Backend\": {\"Port\": 0}}").backend().port()).isEqualTo(8472);
  }

  @Test
  void nullValuesKeepDefaultsAsInGo() throws Exception {
    NetConf c = parse("{\"Network\": \"10.42.0.0/16\", \"SubnetLen\": null, \"Backend\": null}");
    assertThat(c.subnetLen()).isEqualTo(24);
    assertThat(c.backend()).isEqualTo(Backend.defaultVxlan());
  }
}
