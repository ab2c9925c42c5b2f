package dev.weft.lease;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

import dev.weft.net.IpAddresses;
import dev.weft.net.IpPrefix;
import dev.weft.net.Texts;

/** Reads net-conf.json into a {@link NetConf}; the rules follow flannel's where weft has the same feature. */
final class NetConfParser {
  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();
  private static final int MAX_DOCUMENT = 64 * 1024;

  private NetConfParser() {}

  static NetConf parse(String json, Consumer<String> warnings) throws ConfigException {
    JsonFields top = new JsonFields("", readTree(json), warnings);
    boolean ipv4 = top.bool("EnableIPv4").orElse(true);
    boolean ipv6 = top.bool("EnableIPv6").orElse(false);
    if (!ipv4 && !ipv6) {
      throw new ConfigException("EnableIPv4", "false", "with EnableIPv6 false or absent this enables neither IPv4 nor"
          + " IPv6; set EnableIPv4 (the default) or EnableIPv6 to true");
    }
    Family v4 = family(top, "", true, ipv4, "required unless EnableIPv4 is false, e.g. \"10.42.0.0/16\"", warnings);
    Family v6 = family(top, "IPv6", false, ipv6, "required when EnableIPv6 is true, e.g. \"fd42::/48\"", warnings);
    top.take("EnableNFTables").ifPresent(n -> warnings.accept(
        "net-conf.json: EnableNFTables is a flanneld setting; weft chooses nftables or iptables itself (ignored)"));
    Backend backend = backend(top.take("Backend"), warnings);
    top.warnUnknown(warnings);
    return new NetConf(v4.network(), v4.subnetLen(), v4.min(), v4.max(), ipv4, ipv6, v6.network(), v6.subnetLen(), backend,
        v6.min(), v6.max());
  }

  /** One family's pool fields; without a network, the defaults (and no pool). */
  private record Family(Optional<IpPrefix> network, int subnetLen, Optional<IpPrefix> min, Optional<IpPrefix> max) {}

  /**
   * {@code <prefix>Network}, {@code <prefix>SubnetLen}, {@code <prefix>SubnetMin/Max} of one family: required when
   * the family is enabled, validated whenever the network is given (a disabled family's network is warned about), the
   * subnet fields warned about and ignored without a network.
   */
  private static Family family(JsonFields top, String prefix, boolean ipv4, boolean enabled, String required,
      Consumer<String> warnings) throws ConfigException {
    String networkField = prefix + "Network";
    Optional<IpPrefix> network = network(top, networkField, ipv4, warnings);
    if (enabled && network.isEmpty()) {
      throw new ConfigException(networkField, "(missing)", required);
    }
    if (network.isEmpty()) {
      for (String unused : new String[] {prefix + "SubnetLen", prefix + "SubnetMin", prefix + "SubnetMax"}) {
        top.take(unused).ifPresent(n -> warnings.accept("net-conf.json: " + unused + " ignored: no " + networkField));
      }
      return new Family(network, ipv4 ? 24 : 64, Optional.empty(), Optional.empty());
    }
    int len = subnetLen(top, prefix + "SubnetLen", network.get(), ipv4 ? 30 : 126, warnings);
    Optional<IpPrefix> min = bound(top, prefix + "SubnetMin", network.get(), len);
    Optional<IpPrefix> max = bound(top, prefix + "SubnetMax", network.get(), len);
    checkPool(network.get(), len, min, max);
    if (!enabled) {
      warnings.accept("net-conf.json: " + networkField + " is set but Enable" + (ipv4 ? "IPv4" : "IPv6") + " is false; "
          + (ipv4 ? "IPv4" : "IPv6") + " stays off");
    }
    return new Family(network, len, min, max);
  }

  private static JsonNode readTree(String json) throws ConfigException {
    if (json == null || json.isBlank()) {
      throw new ConfigException("net-conf.json", "(empty)", "the file is empty");
    }
    if (json.length() > MAX_DOCUMENT) {
      throw new ConfigException("net-conf.json", "(" + json.length() + " chars)", "larger than " + MAX_DOCUMENT + " characters");
    }
    try {
      return JSON.readTree(json);
    } catch (JacksonException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new ConfigException("net-conf.json", Texts.quote(json), "not valid JSON" + where + ": " + e.getOriginalMessage());
    }
  }

  private static Optional<IpPrefix> network(JsonFields f, String field, boolean ipv4, Consumer<String> warnings)
      throws ConfigException {
    Optional<String> text = f.string(field);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    IpPrefix c;
    try {
      c = IpPrefix.parseCidr(text.get());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(field, Texts.quote(text.get()), e.getMessage());
    }
    if (c.isIpv4() != ipv4) {
      throw new ConfigException(field, Texts.quote(text.get()), "must be an " + (ipv4 ? "IPv4" : "IPv6") + " CIDR");
    }
    if (!c.equals(c.network())) {
      warnings.accept("net-conf.json: " + field + " " + c + " has host bits set; using " + c.network());
    }
    return Optional.of(c.network());
  }

  /** SubnetLen rules: at least two subnets, at least a /30 (v4) or /126 (v6), default /24 or /64 where it fits, as flannel. */
  private static int subnetLen(JsonFields f, String field, IpPrefix network, int longest, Consumer<String> warnings)
      throws ConfigException {
    OptionalInt given = f.integer(field, 0, network.bits());
    int preferred = network.isIpv4() ? 24 : 64;
    if (given.isEmpty()) {
      if (network.length() >= longest) {
        throw new ConfigException(network.isIpv4() ? "Network" : "IPv6Network", Texts.quote(network.toString()),
            "too small: no room for per-node subnets of at most /" + longest);
      }
      // flannel's default: /24 (/64), or one bit longer than a network that is already that small
      return network.length() < preferred ? preferred : Math.min(network.length() + 1, longest);
    }
    int len = given.getAsInt();
    if (len > longest) {
      throw new ConfigException(field, String.valueOf(len), "must be /" + longest + " or shorter: a node needs a gateway and pod addresses");
    }
    if (len <= network.length()) {
      throw new ConfigException(field, String.valueOf(len), "must be longer than the network's /" + network.length()
          + " so that " + network + " holds at least two node subnets");
    }
    if (len - network.length() > 62) {
      throw new ConfigException(field, String.valueOf(len), "splits " + network + " into more than 2^62 subnets");
    }
    return len;
  }

  /** SubnetMin/Max as flannel writes them (an address), or as a CIDR of the subnet length. */
  private static Optional<IpPrefix> bound(JsonFields f, String field, IpPrefix network, int subnetLen) throws ConfigException {
    Optional<String> text = f.string(field);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    String t = text.get();
    InetAddress address;
    try {
      if (t.contains("/")) {
        IpPrefix c = IpPrefix.parseCidr(t);
        if (c.length() != subnetLen) {
          throw new IllegalArgumentException("prefix length /" + c.length() + " differs from the subnet length /" + subnetLen);
        }
        address = c.address();
      } else {
        address = IpAddresses.parse(t);
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException(field, Texts.quote(t), e.getMessage());
    }
    IpPrefix subnet = new IpPrefix(address, subnetLen);
    if (!network.contains(subnet)) {
      throw new ConfigException(field, Texts.quote(t), "must lie inside " + network);
    }
    if (!subnet.equals(subnet.network())) {
      throw new ConfigException(field, Texts.quote(t), "is not on a /" + subnetLen + " boundary (e.g. "
          + IpAddresses.format(subnet.networkAddress()) + ")");
    }
    return Optional.of(subnet);
  }

  private static void checkPool(IpPrefix network, int len, Optional<IpPrefix> min, Optional<IpPrefix> max) throws ConfigException {
    if (min.isPresent() && max.isPresent()
        && min.get().networkValue().compareTo(max.get().networkValue()) > 0) {
      String prefix = network.isIpv4() ? "" : "IPv6";
      throw new ConfigException(prefix + "SubnetMin", Texts.quote(IpAddresses.format(min.get().address())),
          "is above " + prefix + "SubnetMax " + IpAddresses.format(max.get().address()));
    }
    new SubnetPool(network, len, min, max); // bounds are validated above; this only asserts the pool is consistent
  }

  private static Backend backend(Optional<JsonNode> node, Consumer<String> warnings) throws ConfigException {
    if (node.isEmpty()) {
      return Backend.defaultVxlan();
    }
    JsonFields b = new JsonFields("Backend.", node.get(), warnings);
    String type = b.string("Type").orElse(Backend.VXLAN);
    String lower = type.toLowerCase(Locale.ROOT);
    if (lower.equals(Backend.HOST_GW)) {
      b.warnUnknown(warnings); // flannel's host-gw has no settings: VNI, Port and the rest are ignored, with a warning
      return Backend.hostGw();
    }
    if (!lower.equals(Backend.VXLAN)) {
      throw new ConfigException("Backend.Type", Texts.quote(type), "weft implements the \"vxlan\" and \"host-gw\" backends");
    }
    int vni = b.integer("VNI", 0, Backend.MAX_VNI).orElse(Backend.DEFAULT_VNI);
    int port = b.integer("Port", 0, 65535).orElse(0);
    OptionalInt mtu = b.integer("MTU", 68, 65535);
    boolean directRouting = b.bool("DirectRouting").orElse(false);
    boolean gbp = b.bool("GBP").orElse(false);
    boolean learning = b.bool("Learning").orElse(false);
    b.warnUnknown(warnings);
    // flannel treats Port 0 as "the kernel's default", which is 8472 for Linux VXLAN devices
    return new Backend(Backend.VXLAN, vni, port == 0 ? Backend.DEFAULT_PORT : port, mtu, directRouting, gbp, learning);
  }
}
