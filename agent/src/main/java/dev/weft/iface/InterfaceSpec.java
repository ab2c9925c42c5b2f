package dev.weft.iface;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.weft.net.IpFamily;

/**
 * The interface-selection flags, validated: {@code --iface} (in order), {@code --iface-regex}
 * (in order), {@code --iface-can-reach}, {@code --public-ip} and {@code --public-ipv6}.
 *
 * @param family the family selection is for: IPv4 (the default route, the local address), or
 *     IPv6 on an IPv6-only cluster, where flanneld too follows the IPv6 default route
 */
public record InterfaceSpec(List<IfaceRef> ifaces, List<Pattern> regexes,
                            Optional<InetAddress> canReach, Optional<InetAddress> publicIp,
                            Optional<InetAddress> publicIpV6, IpFamily family) {
    public InterfaceSpec {
        ifaces = List.copyOf(ifaces);
        regexes = List.copyOf(regexes);
        Objects.requireNonNull(canReach, "canReach");
        Objects.requireNonNull(publicIp, "publicIp");
        Objects.requireNonNull(publicIpV6, "publicIpV6");
        Objects.requireNonNull(family, "family");
        publicIp.ifPresent(ip -> {
            if (!(ip instanceof Inet4Address)) {
                throw new IllegalArgumentException("--public-ip must be an IPv4 address (use --public-ipv6 for IPv6)");
            }
        });
        publicIpV6.ifPresent(ip -> {
            if (!(ip instanceof Inet6Address)) {
                throw new IllegalArgumentException("--public-ipv6 must be an IPv6 address");
            }
        });
    }

    /** IPv4 selection without {@code --public-ipv6}. */
    public InterfaceSpec(List<IfaceRef> ifaces, List<Pattern> regexes, Optional<InetAddress> canReach,
                         Optional<InetAddress> publicIp) {
        this(ifaces, regexes, canReach, publicIp, Optional.empty(), IpFamily.V4);
    }

    /** No selection flags at all: use the default route's interface. */
    public static InterfaceSpec defaults() {
        return new InterfaceSpec(List.of(), List.of(), Optional.empty(), Optional.empty());
    }

    /** These flags, selecting for {@code f}. */
    public InterfaceSpec forFamily(IpFamily f) {
        return new InterfaceSpec(ifaces, regexes, canReach, publicIp, publicIpV6, f);
    }

    /** The public-address flag of the selection's family. */
    public Optional<InetAddress> publicIpOfFamily() {
        return family == IpFamily.V4 ? publicIp : publicIpV6;
    }

    /** True when any of {@code --iface}, {@code --iface-regex}, {@code --iface-can-reach} was given. */
    public boolean explicit() {
        return !ifaces.isEmpty() || !regexes.isEmpty() || canReach.isPresent();
    }
}
