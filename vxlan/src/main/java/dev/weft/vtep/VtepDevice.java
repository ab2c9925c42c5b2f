package dev.weft.vtep;

import dev.weft.rtnl.MacAddress;

import java.util.Objects;

/**
 * The VXLAN device as it is after {@link Vtep#ensure} (or as {@link Vtep#find} saw it).
 *
 * @param index   interface index
 * @param name    device name
 * @param mac     its MAC: the VtepMAC to publish
 * @param mtu     its MTU: the MTU pods get
 * @param outcome what ensure did
 */
public record VtepDevice(int index, String name, MacAddress mac, int mtu, EnsureOutcome outcome) {
    public VtepDevice {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(outcome, "outcome");
    }
}
