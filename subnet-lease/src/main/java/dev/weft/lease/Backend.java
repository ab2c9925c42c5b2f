package dev.weft.lease;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * The {@code Backend} object of net-conf.json. weft implements the {@code vxlan} type only.
 *
 * @param type always {@code "vxlan"} after parsing
 * @param vni VXLAN network identifier, 0..16777215 (default 1); the device is {@code flannel.<vni>}
 * @param port UDP destination port (default 8472, the Linux and flannel default)
 * @param mtu device MTU when set; otherwise derived from the underlay
 * @param directRouting use a plain route via the peer's public IP when it is on a directly connected subnet
 * @param gbp VXLAN group-based policy extension
 * @param learning kernel FDB learning on the device (off: weft programs the FDB)
 */
public record Backend(String type, int vni, int port, OptionalInt mtu, boolean directRouting, boolean gbp, boolean learning) {
  public static final String VXLAN = "vxlan";
  public static final int DEFAULT_VNI = 1;
  public static final int DEFAULT_PORT = 8472;
  public static final int MAX_VNI = (1 << 24) - 1;

  public Backend {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(mtu, "mtu");
  }

  /** The backend used when net-conf.json has no {@code Backend}: vxlan, VNI 1, port 8472. */
  public static Backend defaultVxlan() {
    return new Backend(VXLAN, DEFAULT_VNI, DEFAULT_PORT, OptionalInt.empty(), false, false, false);
  }
}
