package dev.weft.lease.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSpec;
import java.util.ArrayList;
import java.util.List;

import dev.weft.net.IpPrefix;

/** Reading a Node's {@code spec.podCIDRs} (or the older single {@code spec.podCIDR}). */
final class PodCidrs {
  private PodCidrs() {}

  /** The raw podCIDR strings: {@code podCIDRs} when set, else {@code [podCIDR]}, else empty. */
  static List<String> raw(Node node) {
    NodeSpec spec = node.getSpec();
    return spec == null ? List.of() : raw(spec.getPodCIDR(), spec.getPodCIDRs());
  }

  /** The same from the two fields as read off the wire (either may be null). */
  static List<String> raw(String podCidr, List<String> podCidrs) {
    if (podCidrs != null && !podCidrs.isEmpty()) {
      return podCidrs.stream().filter(s -> s != null && !s.isEmpty()).toList();
    }
    return podCidr == null || podCidr.isEmpty() ? List.of() : List.of(podCidr);
  }

  /**
   * The parsed podCIDRs, normalised.
   *
   * @throws IllegalArgumentException naming the first one that is not a CIDR
   */
  static List<IpPrefix> parse(Node node) {
    List<IpPrefix> out = new ArrayList<>();
    for (String s : raw(node)) {
      out.add(IpPrefix.parseCidr(s).network());
    }
    return out;
  }

  /** The parseable podCIDRs; a malformed one on another node must not stop allocation, it just cannot be avoided. */
  static List<IpPrefix> parseLenient(List<String> raw) {
    List<IpPrefix> out = new ArrayList<>();
    for (String s : raw) {
      try {
        out.add(IpPrefix.parseCidr(s).network());
      } catch (IllegalArgumentException e) {
        // skipped: a range nobody can parse cannot be programmed by anyone either
      }
    }
    return out;
  }
}
