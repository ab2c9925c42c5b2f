package dev.weft.rtnl;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The VXLAN part of a link ({@code ip -d link show}: {@code vxlan id 1 local 198.18.0.1 dev eth0 dstport 8472 nolearning}).
 *
 * @param vni           VXLAN network identifier
 * @param local         source address of encapsulated packets, if set
 * @param underlayIndex index of the device the tunnel is bound to, if bound
 * @param port          UDP destination port
 * @param learning      source-address learning on
 * @param gbp           Group Based Policy extension on
 */
public record VxlanInfo(int vni, Optional<InetAddress> local, OptionalInt underlayIndex, int port, boolean learning,
                        boolean gbp) {
    public VxlanInfo {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(underlayIndex, "underlayIndex");
    }
}
