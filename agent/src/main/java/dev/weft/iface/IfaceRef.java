package dev.weft.iface;

import java.net.InetAddress;
import java.util.Objects;

/** One {@code --iface} value: an interface name, or one of the host's addresses. */
public sealed interface IfaceRef {
    /** {@code --iface eth1}. */
    record Name(String name) implements IfaceRef {
        public Name {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** {@code --iface 198.18.0.5}: whichever interface holds this address. */
    record Address(InetAddress address) implements IfaceRef {
        public Address {
            Objects.requireNonNull(address, "address");
        }

        @Override
        public String toString() {
            return dev.weft.net.IpAddresses.format(address);
        }
    }
}
