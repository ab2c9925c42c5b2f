package dev.weft.cni.netlink;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.weft.cni.shim.PodInterfaceProbe;
import dev.weft.net.IpPrefix;
import dev.weft.netns.Netns;
import dev.weft.rtnl.Address;
import dev.weft.rtnl.Link;
import dev.weft.rtnl.NetlinkException;
import dev.weft.rtnl.RtnlClient;

/**
 * CHECK's own look at the pod: the interface exists in the pod's namespace, is up, and carries
 * every address of the previous result. Reads netlink inside {@code CNI_NETNS} through the vxlan
 * module; nothing is written.
 */
public final class NetlinkPodInterfaceProbe implements PodInterfaceProbe {

    @Override
    public Optional<String> problem(Path netns, String ifName, List<IpPrefix> expected) {
        try (RtnlClient rtnl = RtnlClient.open(Netns.ofPath(netns))) {
            Optional<Link> link = rtnl.link(ifName);
            if (link.isEmpty()) {
                return Optional.of("interface " + ifName + " does not exist in " + netns);
            }
            if (!link.get().up()) {
                return Optional.of("interface " + ifName + " in " + netns + " is down");
            }
            List<Address> have = rtnl.addresses(link.get().index());
            for (IpPrefix want : expected) {
                boolean found = have.stream().anyMatch(a -> a.prefix().length() == want.length()
                        && a.prefix().address().equals(want.address()));
                if (!found) {
                    return Optional.of("interface " + ifName + " in " + netns + " lacks address " + want);
                }
            }
            return Optional.empty();
        } catch (NetlinkException e) {
            return Optional.of("cannot inspect " + ifName + " in " + netns + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return Optional.of("bad network namespace path " + netns + ": " + e.getMessage());
        }
    }
}
