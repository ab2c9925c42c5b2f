package dev.weft.node;

import dev.weft.app.CleanupRequest;
import dev.weft.app.DeviceCleanup;
import dev.weft.lease.NetConf;
import dev.weft.netns.Netns;
import dev.weft.rtnl.RtnlClient;
import dev.weft.vtep.Vtep;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code weft cleanup}'s data-plane part: the VXLAN devices of both families (their entries go with
 * them), every route weft wrote elsewhere (DirectRouting, host-gw) and every nexthop object weft
 * wrote (protocol 87).
 */
public final class DeviceRemoval implements DeviceCleanup {

    @Override
    public String removeDevice(CleanupRequest req) throws Exception {
        int vni = NetConfs.readIfValid(req.netConfPath()).map(NetConf::backend).map(b -> b.vni()).orElse(1);
        String name = req.deviceName().orElse("flannel." + vni);
        String v6 = VxlanPlane.V6_PREFIX + vni; // removed whatever net-conf.json says now: it may have had IPv6 before
        try (RtnlClient rtnl = RtnlClient.open(Netns.current())) {
            List<String> removed = new ArrayList<>();
            Vtep vtep = new Vtep(rtnl);
            for (String dev : List.of(name, v6)) {
                if (rtnl.link(dev).isPresent()) {
                    removed.add(dev);
                }
                vtep.remove(dev);
            }
            return removed.isEmpty() ? "no VXLAN device " + name + " or " + v6 + "; removed any weft routes and nexthops left"
                    : "removed VXLAN device" + (removed.size() > 1 ? "s " : " ") + String.join(" and ", removed)
                    + " and weft's routes and nexthops";
        }
    }
}
