package dev.weft.masq;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.weft.net.IpPrefix;

/**
 * What the masquerade rules are for: the cluster's pod Network, at most one per IP family
 * ({@code Network} and {@code IPv6Network} of net-conf.json). Rules depend only on these, not on
 * the node's own subnet, so they can be installed before the lease is known.
 */
public record MasqSpec(List<IpPrefix> networks) {
    public MasqSpec {
        networks = List.copyOf(networks);
        if (networks.isEmpty()) {
            throw new IllegalArgumentException("masquerade needs at least one pod network");
        }
        if (networks.stream().filter(IpPrefix::isIpv6).count() > 1 || networks.stream().filter(n -> !n.isIpv6()).count() > 1) {
            throw new IllegalArgumentException("at most one pod network per IP family, got " + networks);
        }
    }

    /** From CIDR strings, e.g. {@code MasqSpec.of("10.42.0.0/16")}. */
    public static MasqSpec of(String... cidrs) {
        return new MasqSpec(Arrays.stream(cidrs).map(IpPrefix::parse).toList());
    }

    /** The IPv4 network, if any. */
    public Optional<IpPrefix> ipv4() {
        return networks.stream().filter(n -> !n.isIpv6()).findFirst();
    }

    /** The IPv6 network, if any. */
    public Optional<IpPrefix> ipv6() {
        return networks.stream().filter(IpPrefix::isIpv6).findFirst();
    }
}
