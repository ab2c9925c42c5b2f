package dev.weft.node;

import dev.weft.app.CleanupRequest;
import dev.weft.app.DeviceCleanup;
import dev.weft.lease.NetConf;
import dev.weft.netns.Netns;
import dev.weft.rtnl.RtnlClient;
import dev.weft.vtep.Vtep;

/** {@code weft cleanup}'s data-plane part: the VXLAN device (its entries go with it) and weft's direct routes. */
public final class DeviceRemoval implements DeviceCleanup {

    @Override
    public String removeDevice(CleanupRequest req) throws Exception {
        int vni = NetConfs.readIfValid(req.netConfPath()).map(NetConf::backend).map(b -> b.vni()).orElse(1);
        String name = req.deviceName().orElse("flannel." + vni);
        try (RtnlClient rtnl = RtnlClient.open(Netns.current())) {
            boolean present = rtnl.link(name).isPresent();
            new Vtep(rtnl).remove(name);
            return present ? "removed VXLAN device " + name + " and weft's routes"
                    : "no VXLAN device " + name + "; removed any weft routes left";
        }
    }
}
