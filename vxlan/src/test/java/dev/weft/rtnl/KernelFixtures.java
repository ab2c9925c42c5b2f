package dev.weft.rtnl;

import dev.weft.netns.Netns;
import dev.weft.testing.TestNetns;
import dev.weft.testing.Veth;

import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalInt;

/** A namespace with an underlay veth (u0 = 198.18.0.1/24 and fd00:198:18::1/64) and a VXLAN device on it. */
record KernelFixtures(RtnlClient rtnl, int underlay, Link vxlan) implements AutoCloseable {
    static final InetAddress LOCAL = InetAddress.ofLiteral("198.18.0.1");

    static KernelFixtures vxlan(TestNetns ns) throws NetlinkException {
        Veth.loop(ns, "u0", "198.18.0.1/24", "u1");
        ns.ip("-6", "addr", "add", "fd00:198:18::1/64", "dev", "u0", "nodad");
        RtnlClient rtnl = RtnlClient.open(Netns.named(ns.name()));
        try {
            int u0 = rtnl.link("u0").orElseThrow().index();
            Link vx = rtnl.createVxlan(new VxlanLinkSpec("flannel.1", 1, LOCAL, u0, 8472, false, false,
                    OptionalInt.of(1450), Optional.of(MacAddress.parse("0a:00:00:00:00:01"))));
            rtnl.setUp(vx.index());
            return new KernelFixtures(rtnl, u0, vx);
        } catch (NetlinkException | RuntimeException e) {
            rtnl.close();
            throw e;
        }
    }

    int dev() {
        return vxlan.index();
    }

    @Override
    public void close() {
        rtnl.close();
    }
}
