package dev.weft.lease;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * The {@code Backend} object of net-conf.json: flannel's {@code vxlan} type, or {@code host-gw} (one route per peer
 * via its public IP, no device; the VXLAN fields keep their defaults and mean nothing there).
 *
 * @param type {@code "vxlan"} or {@code "host-gw"} after parsing (lower case)
 * @param vni VXLAN network identifier, 0..16777215 (default 1); the device is {@code flannel.<vni>}
 * @param port UDP destination port (default 8472, the Linux and flannel default)
 * @param mtu device MTU when set; otherwise derived from the underlay
 * @param directRouting use a plain route via the peer's public IP when it is on a directly connected subnet
 * @param gbp VXLAN group-based policy extension
 * @param learning kernel FDB learning on the device (off: weft programs the FDB)
 */
public record Backend(String type, int vni, int port, OptionalInt mtu, boolean directRouting, boolean gbp, boolean learning) {
  public static final String VXLAN = "vxlan";
  public static final String HOST_GW = "host-gw";
  public static final int DEFAULT_VNI = 1;
  public static final int DEFAULT_PORT = 8472;
  public static final int MAX_VNI = (1 << 24) - 1;

  public Backend {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(mtu, "mtu");
    if (!type.equals(VXLAN) && !type.equals(HOST_GW)) {
      throw new IllegalArgumentException("backend type must be " + VXLAN + " or " + HOST_GW + ": " + type);
    }
  }

  /** True for {@code host-gw}: no device, no encapsulation. */
  public boolean isHostGw() {
    return type.equals(HOST_GW);
  }

  /** The host-gw backend. */
  public static Backend hostGw() {
    return new Backend(HOST_GW, DEFAULT_VNI, DEFAULT_PORT, OptionalInt.empty(), false, false, false);
  }

  /** The backend used when net-conf.json has no {@code Backend}: vxlan, VNI 1, port 8472. */
  public static Backend defaultVxlan() {
    return new Backend(VXLAN, DEFAULT_VNI, DEFAULT_PORT, OptionalInt.empty(), false, false, false);
  }
}
