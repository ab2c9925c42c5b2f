package dev.weft.lease.kube;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.weft.lease.Backend;
import dev.weft.lease.MacAddresses;
import dev.weft.lease.PeerInfo;
import dev.weft.net.IpAddresses;
import dev.weft.net.IpPrefix;
import dev.weft.net.Texts;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the peer fields out of a Node's annotations and podCIDRs, trusting nothing: every value is bounded in size
 * and validated, and any problem makes the node an {@link Invalid} with a reason that names the annotation and
 * quotes (an excerpt of) the value. On a dual-stack cluster the IPv6 fields are optional and a problem there drops only
 * the IPv6 part; on an IPv6-only cluster they are the peer.
 */
final class PeerParser {
  /** Longest annotation value read; flannel's are under 100 characters. */
  static final int MAX_VALUE = 1024;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** What one Node is, as far as the data plane is concerned. */
  sealed interface PeerRecord {}

  /** A valid peer; {@code ipv6Problem} says why its IPv6 fields were dropped, when they were. */
  record Peer(PeerInfo info, Optional<String> ipv6Problem) implements PeerRecord {}

  /** Claims to be a peer but its data is unusable. */
  record Invalid(String reason) implements PeerRecord {}

  /** Not managed by weft or flanneld (no {@code kube-subnet-manager: "true"}), e.g. a node still starting up. */
  record NotPeer() implements PeerRecord {}

  /** Most podCIDRs a Node may have: one per family, as the API server and flanneld enforce. */
  static final int MAX_POD_CIDRS = 2;

  private final AnnotationKeys keys;
  private final int vni;
  private final Optional<IpPrefix> network;
  private final Optional<IpPrefix> ipv6Network;
  private final String backendType;
  private final boolean ipv4;

  /** A vxlan parser that checks IPv4 subnets against {@code network} and leaves IPv6 subnets unchecked. */
  PeerParser(AnnotationKeys keys, int vni, Optional<IpPrefix> network) {
    this(keys, vni, network, Optional.empty(), Backend.VXLAN);
  }

  /** A vxlan parser. */
  PeerParser(AnnotationKeys keys, int vni, Optional<IpPrefix> network, Optional<IpPrefix> ipv6Network) {
    this(keys, vni, network, ipv6Network, Backend.VXLAN);
  }

  /**
   * @param network when present, a peer's IPv4 subnet must lie inside it (a peer claiming {@code 0.0.0.0/1} must
   *     not capture traffic)
   * @param ipv6Network when present, a peer's IPv6 subnet must lie inside it (else its IPv6 part is dropped: a peer
   *     claiming {@code ::/0} must not capture IPv6 traffic)
   * @param backendType the local backend; host-gw peers publish {@code backend-data: "null"} and no VtepMAC
   */
  PeerParser(AnnotationKeys keys, int vni, Optional<IpPrefix> network, Optional<IpPrefix> ipv6Network, String backendType) {
    this(keys, vni, network, ipv6Network, backendType, true);
  }

  /**
   * @param ipv4 false on an IPv6-only cluster: then a peer is its IPv6 part, which is required, and the IPv4
   *     annotations are not read (as flanneld reads none with {@code EnableIPv4: false})
   */
  PeerParser(AnnotationKeys keys, int vni, Optional<IpPrefix> network, Optional<IpPrefix> ipv6Network, String backendType,
      boolean ipv4) {
    this.keys = keys;
    this.ipv4 = ipv4;
    this.vni = vni;
    this.network = network;
    this.ipv6Network = ipv6Network;
    this.backendType = backendType;
  }

  private boolean hostGw() {
    return backendType.equals(Backend.HOST_GW);
  }

  PeerRecord parse(String nodeName, Map<String, String> annotations, List<String> podCidrs) {
    if (annotations == null || !"true".equals(annotations.get(keys.kubeSubnetManager()))) {
      return new NotPeer();
    }
    try {
      if (podCidrs.size() > MAX_POD_CIDRS) {
        throw new Bad("spec.podCIDRs has " + podCidrs.size() + " entries (at most one per family): "
            + Texts.quote(String.join(",", podCidrs)));
      }
      String type = required(annotations, keys.backendType());
      if (!type.toLowerCase(Locale.ROOT).equals(backendType)) {
        throw new Bad(keys.backendType() + " is " + Texts.quote(type) + ", not " + backendType
            + " (every node of a cluster must run the same backend)");
      }
      if (!ipv4) {
        // an IPv6-only cluster: the IPv4 annotations (flanneld writes none, or public-ip 0.0.0.0) are not read
        return new Peer(new PeerInfo(nodeName, vni, backendType, Optional.empty(), Optional.of(ipv6Part(annotations, podCidrs))),
            Optional.empty());
      }
      PeerInfo.Endpoint v4 = ipv4Part(annotations, podCidrs);
      PeerInfo v4only = new PeerInfo(nodeName, vni, backendType, Optional.of(v4), Optional.empty());
      return withIpv6(v4only, annotations, podCidrs);
    } catch (Bad bad) {
      return new Invalid(bad.getMessage());
    }
  }

  private PeerInfo.Endpoint ipv4Part(Map<String, String> annotations, List<String> podCidrs) throws Bad {
    IpPrefix subnet = subnet(podCidrs);
    String mac = hostGw() ? "" : backendData(keys.backendData(), required(annotations, keys.backendData()));
    InetAddress publicIp = address(keys.publicIp(), required(annotations, keys.publicIp()), true);
    return new PeerInfo.Endpoint(subnet, publicIp, mac);
  }

  private IpPrefix subnet(List<String> podCidrs) throws Bad {
    if (podCidrs.isEmpty()) {
      throw new Bad("no spec.podCIDR");
    }
    for (String raw : podCidrs) {
      IpPrefix c = cidr(raw);
      if (c.isIpv4()) {
        if (network.isPresent() && !network.get().contains(c)) {
          throw new Bad("spec.podCIDR " + c + " is outside Network " + network.get());
        }
        return c.network();
      }
    }
    throw new Bad("no IPv4 range in spec.podCIDRs " + Texts.quote(String.join(",", podCidrs)));
  }

  /** On a dual-stack cluster the IPv6 part is optional: a node without it, or with a bad one, stays an IPv4 peer. */
  private PeerRecord withIpv6(PeerInfo v4, Map<String, String> annotations, List<String> podCidrs) {
    String data = annotations.get(keys.backendV6Data());
    String ip = annotations.get(keys.publicIpV6());
    if ((data == null || hostGw()) && ip == null) {
      return new Peer(v4, Optional.empty());
    }
    try {
      return new Peer(v4.withIpv6(Optional.of(ipv6Part(annotations, podCidrs))), Optional.empty());
    } catch (Bad bad) {
      return new Peer(v4, Optional.of(bad.getMessage()));
    }
  }

  private PeerInfo.Endpoint ipv6Part(Map<String, String> annotations, List<String> podCidrs) throws Bad {
    String mac = hostGw() ? "" : backendData(keys.backendV6Data(), required(annotations, keys.backendV6Data()));
    InetAddress publicIp = address(keys.publicIpV6(), required(annotations, keys.publicIpV6()), false);
    IpPrefix subnet = null;
    for (String raw : podCidrs) {
      IpPrefix c = cidr(raw);
      if (!c.isIpv4()) {
        subnet = c.network();
        break;
      }
    }
    if (subnet == null) {
      throw new Bad(podCidrs.isEmpty() ? "no spec.podCIDR" : "no IPv6 range in spec.podCIDRs " + Texts.quote(String.join(",", podCidrs)));
    }
    if (ipv6Network.isPresent() && !ipv6Network.get().contains(subnet)) {
      throw new Bad("IPv6 spec.podCIDR " + subnet + " is outside IPv6Network " + ipv6Network.get());
    }
    return new PeerInfo.Endpoint(subnet, publicIp, mac);
  }

  private static String required(Map<String, String> annotations, String key) throws Bad {
    String value = annotations.get(key);
    if (value == null || value.isEmpty()) {
      throw new Bad("no " + key + " annotation");
    }
    if (value.length() > MAX_VALUE) {
      throw new Bad(key + " is " + value.length() + " characters long (at most " + MAX_VALUE + ")");
    }
    return value;
  }

  /** {@code {"VNI":1,"VtepMAC":"aa:bb:cc:dd:ee:ff"}}, keys case-insensitive as Go reads them. Returns the MAC. */
  private String backendData(String key, String value) throws Bad {
    JsonNode root;
    try {
      root = JSON.readTree(value);
    } catch (JacksonException e) {
      throw new Bad(key + " is not JSON: " + Texts.quote(value));
    }
    if (root == null || !root.isObject()) {
      throw new Bad(key + " is not a JSON object: " + Texts.quote(value));
    }
    JsonNode vniNode = null;
    JsonNode macNode = null;
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      switch (e.getKey().toLowerCase(Locale.ROOT)) {
        case "vni" -> vniNode = e.getValue();
        case "vtepmac" -> macNode = e.getValue();
        default -> { } // other backends' fields are none of our business
      }
    }
    if (vniNode == null || !vniNode.isIntegralNumber() || !vniNode.canConvertToInt()) {
      throw new Bad(key + " has no integer VNI: " + Texts.quote(value));
    }
    if (vniNode.intValue() != vni) {
      throw new Bad(key + " VNI " + vniNode.intValue() + " differs from this cluster's VNI " + vni);
    }
    if (macNode == null || !macNode.isTextual()) {
      throw new Bad(key + " has no VtepMAC string: " + Texts.quote(value));
    }
    try {
      return MacAddresses.normalize(macNode.textValue());
    } catch (IllegalArgumentException e) {
      throw new Bad(key + " VtepMAC: " + e.getMessage());
    }
  }

  private static InetAddress address(String key, String value, boolean ipv4) throws Bad {
    InetAddress a;
    try {
      a = IpAddresses.parse(value);
    } catch (IllegalArgumentException e) {
      throw new Bad(key + " is not an IP address: " + Texts.quote(value));
    }
    if ((IpAddresses.bits(a) == 32) != ipv4 || !IpAddresses.isUsableUnicast(a)) {
      throw new Bad(key + " is not a usable unicast " + (ipv4 ? "IPv4" : "IPv6") + " address: " + Texts.quote(value));
    }
    if (!ipv4 && a.isLinkLocalAddress()) {
      // a link-local remote needs an interface scope no annotation carries; the VXLAN device could not reach it
      throw new Bad(key + " is a link-local address, not reachable as a VXLAN remote: " + Texts.quote(value));
    }
    return a;
  }

  private static IpPrefix cidr(String raw) throws Bad {
    try {
      return IpPrefix.parseCidr(raw);
    } catch (IllegalArgumentException e) {
      throw new Bad("spec.podCIDR " + Texts.quote(raw) + " is not a CIDR");
    }
  }

  /** A validation problem; checked, so every path that can produce one is visible. */
  private static final class Bad extends Exception {
    private static final long serialVersionUID = 1L;

    Bad(String reason) {
      super(reason, null, false, false);
    }
  }
}
