package dev.weft.iface;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The interface-selection flags, validated: {@code --iface} (in order), {@code --iface-regex}
 * (in order), {@code --iface-can-reach} and {@code --public-ip}.
 */
public record InterfaceSpec(List<IfaceRef> ifaces, List<Pattern> regexes,
                            Optional<InetAddress> canReach, Optional<InetAddress> publicIp) {
    public InterfaceSpec {
        ifaces = List.copyOf(ifaces);
        regexes = List.copyOf(regexes);
        Objects.requireNonNull(canReach, "canReach");
        Objects.requireNonNull(publicIp, "publicIp");
    }

    /** No selection flags at all: use the default route's interface. */
    public static InterfaceSpec defaults() {
        return new InterfaceSpec(List.of(), List.of(), Optional.empty(), Optional.empty());
    }

    /** True when any of {@code --iface}, {@code --iface-regex}, {@code --iface-can-reach} was given. */
    public boolean explicit() {
        return !ifaces.isEmpty() || !regexes.isEmpty() || canReach.isPresent();
    }
}
