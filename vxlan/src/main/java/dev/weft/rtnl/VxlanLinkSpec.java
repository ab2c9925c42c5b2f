package dev.weft.rtnl;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What {@link RtnlClient#createVxlan} creates:
 * {@code ip link add NAME [address MAC] [mtu MTU] type vxlan id VNI local LOCAL dev UNDERLAY dstport PORT [no]learning [gbp]}.
 */
public record VxlanLinkSpec(String name, int vni, InetAddress local, int underlayIndex, int port, boolean learning,
                            boolean gbp, OptionalInt mtu, Optional<MacAddress> mac) {
    /** Largest VNI: the field is 24 bits wide. */
    public static final int MAX_VNI = (1 << 24) - 1;

    public VxlanLinkSpec {
        LinkNames.validate(name);
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(mtu, "mtu");
        Objects.requireNonNull(mac, "mac");
        if (vni < 0 || vni > MAX_VNI) {
            throw new IllegalArgumentException("VNI " + vni + " out of range 0-" + MAX_VNI);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("VXLAN port " + port + " out of range 1-65535");
        }
        if (underlayIndex < 1) {
            throw new IllegalArgumentException("underlay interface index " + underlayIndex + " is not a valid index");
        }
        mtu.ifPresent(LinkNames::validateMtu);
        mac.ifPresent(m -> {
            if (m.isMulticast() || m.isZero()) {
                throw new IllegalArgumentException("VXLAN device MAC " + m + " must be a unicast, non-zero address");
            }
        });
    }
}
