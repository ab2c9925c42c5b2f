package dev.weft.rtnl;

import java.util.Objects;
import java.util.Optional;

import dev.weft.net.IpPrefix;

/**
 * An interface address ({@code ip addr show}).
 *
 * @param index  interface index
 * @param prefix the local address and prefix length
 * @param scope  address scope
 * @param label  IPv4 label, e.g. {@code eth0:1}
 */
public record Address(int index, IpPrefix prefix, Scope scope, Optional<String> label) {
    public Address {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(label, "label");
    }
}
