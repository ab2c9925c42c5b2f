package dev.weft.rtnl;

import dev.weft.nl.Rtm;

/** rtnetlink multicast groups a {@link RtnlMonitor} can subscribe to. */
public enum RtnlGroup {
    /** Links appearing, changing, disappearing. */
    LINK(Rtm.RTNLGRP_LINK),
    /** IP neighbours and FDB entries (VXLAN FDB changes arrive here too). */
    NEIGHBOUR(Rtm.RTNLGRP_NEIGH),
    IPV4_ADDRESS(Rtm.RTNLGRP_IPV4_IFADDR),
    IPV6_ADDRESS(Rtm.RTNLGRP_IPV6_IFADDR),
    IPV4_ROUTE(Rtm.RTNLGRP_IPV4_ROUTE),
    IPV6_ROUTE(Rtm.RTNLGRP_IPV6_ROUTE),
    /** Nexthop objects (Linux 5.3+; an older kernel accepts the subscription and never sends any). */
    NEXTHOP(Rtm.RTNLGRP_NEXTHOP);

    private final int group;

    RtnlGroup(int group) {
        this.group = group;
    }

    /** The bit for the legacy bind-time group mask (groups 1-32). */
    int mask() {
        return 1 << (group - 1);
    }
}
