package dev.weft.lease;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import dev.weft.net.IpFamily;
import dev.weft.net.IpPrefix;

/**
 * The cluster network configuration, flannel's net-conf.json: keys are matched case-insensitively as flannel (Go's
 * encoding/json) does, unknown keys produce a warning, invalid values a {@link ConfigException} naming field and
 * value. A cluster runs IPv4 ({@code EnableIPv4}, the default), IPv6 ({@code EnableIPv6}) or both.
 *
 * @param network the cluster Pod CIDR ({@code Network}), normalised; present whenever enableIpv4
 * @param subnetLen prefix length of each node's subnet ({@code SubnetLen})
 * @param subnetMin lowest subnet weft allocates ({@code SubnetMin}), as a /subnetLen; absent = the network's first
 * @param subnetMax highest subnet weft allocates ({@code SubnetMax}); absent = the network's last
 * @param enableIpv4 {@code EnableIPv4} (default true)
 * @param enableIpv6 {@code EnableIPv6}
 * @param ipv6Network {@code IPv6Network}, present whenever enableIpv6
 * @param ipv6SubnetLen {@code IPv6SubnetLen} (default 64)
 * @param backend the {@code Backend} object
 * @param ipv6SubnetMin {@code IPv6SubnetMin}
 * @param ipv6SubnetMax {@code IPv6SubnetMax}
 */
public record NetConf(
    Optional<IpPrefix> network,
    int subnetLen,
    Optional<IpPrefix> subnetMin,
    Optional<IpPrefix> subnetMax,
    boolean enableIpv4,
    boolean enableIpv6,
    Optional<IpPrefix> ipv6Network,
    int ipv6SubnetLen,
    Backend backend,
    Optional<IpPrefix> ipv6SubnetMin,
    Optional<IpPrefix> ipv6SubnetMax) {

  public NetConf {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(subnetMin, "subnetMin");
    Objects.requireNonNull(subnetMax, "subnetMax");
    Objects.requireNonNull(ipv6Network, "ipv6Network");
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(ipv6SubnetMin, "ipv6SubnetMin");
    Objects.requireNonNull(ipv6SubnetMax, "ipv6SubnetMax");
    if (enableIpv6 && ipv6Network.isEmpty()) {
      throw new IllegalArgumentException("enableIpv6 needs an ipv6Network");
    }
    if (enableIpv4 && network.isEmpty()) {
      throw new IllegalArgumentException("enableIpv4 needs a network");
    }
    if (!enableIpv4 && !enableIpv6) {
      throw new IllegalArgumentException("a cluster enables IPv4, IPv6 or both");
    }
  }

  /** A configuration without IPv6 subnet bounds. */
  public NetConf(IpPrefix network, int subnetLen, Optional<IpPrefix> subnetMin, Optional<IpPrefix> subnetMax, boolean enableIpv4,
      boolean enableIpv6, Optional<IpPrefix> ipv6Network, int ipv6SubnetLen, Backend backend) {
    this(Optional.of(network), subnetLen, subnetMin, subnetMax, enableIpv4, enableIpv6, ipv6Network, ipv6SubnetLen, backend,
        Optional.empty(), Optional.empty());
  }

  /**
   * Parses and validates net-conf.json.
   *
   * @param json the file's content
   * @param warnings receives one line per unknown, duplicate or ignored key and per value weft normalised
   * @throws ConfigException naming the first invalid field and its value
   */
  public static NetConf parse(String json, Consumer<String> warnings) throws ConfigException {
    return NetConfParser.parse(json, warnings);
  }

  /** The pod address families this cluster runs: IPv4 unless {@code EnableIPv4} is false, IPv6 when {@code EnableIPv6}. */
  public Set<IpFamily> families() {
    EnumSet<IpFamily> f = EnumSet.noneOf(IpFamily.class);
    if (enableIpv4) {
      f.add(IpFamily.V4);
    }
    if (enableIpv6) {
      f.add(IpFamily.V6);
    }
    return Collections.unmodifiableSet(f);
  }

  /** True on a cluster that runs only IPv6 ({@code EnableIPv4: false}). */
  public boolean ipv6Only() {
    return !enableIpv4;
  }

  /** The cluster network of {@code family} when that family is enabled. */
  public Optional<IpPrefix> clusterNetwork(IpFamily family) {
    return family == IpFamily.V4 ? network.filter(n -> enableIpv4) : ipv6Network.filter(n -> enableIpv6);
  }

  /** The enabled cluster networks, IPv4 first: what masquerade and the CNI plugin's routes cover. */
  public List<IpPrefix> clusterNetworks() {
    return families().stream().map(f -> clusterNetwork(f).orElseThrow()).toList();
  }

  /** The IPv4 subnets weft may allocate, when IPv4 is enabled: {@code SubnetLen} subnets of {@code Network} within SubnetMin..SubnetMax. */
  public Optional<SubnetPool> ipv4Pool() {
    if (!enableIpv4) {
      return Optional.empty();
    }
    return Optional.of(new SubnetPool(network.orElseThrow(), subnetLen, subnetMin, subnetMax));
  }

  /** The IPv6 subnets weft may allocate, when IPv6 is enabled. */
  public Optional<SubnetPool> ipv6Pool() {
    if (!enableIpv6) {
      return Optional.empty();
    }
    return Optional.of(new SubnetPool(ipv6Network.orElseThrow(), ipv6SubnetLen, ipv6SubnetMin, ipv6SubnetMax));
  }
}
