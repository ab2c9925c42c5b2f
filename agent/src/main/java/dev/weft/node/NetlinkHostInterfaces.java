package dev.weft.node;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.weft.iface.HostInterfaces;
import dev.weft.iface.Iface;
import dev.weft.iface.IfaceAddress;
import dev.weft.iface.RouteLookup;
import dev.weft.net.IpFamily;
import dev.weft.rtnl.Address;
import dev.weft.rtnl.Link;
import dev.weft.rtnl.NetlinkException;
import dev.weft.rtnl.Route;
import dev.weft.rtnl.RouteFilter;
import dev.weft.rtnl.RtnlClient;

/**
 * The host's interfaces and routes as the interface selector needs them, read over netlink.
 * A netlink failure here is not recoverable by the selector, so it surfaces unchecked.
 */
public final class NetlinkHostInterfaces implements HostInterfaces {
    private final RtnlClient rtnl;

    public NetlinkHostInterfaces(RtnlClient rtnl) {
        this.rtnl = rtnl;
    }

    @Override
    public List<Iface> list() {
        try {
            List<Iface> out = new ArrayList<>();
            for (Link l : rtnl.links()) {
                List<IfaceAddress> addrs = new ArrayList<>();
                for (Address a : rtnl.addresses(l.index())) {
                    addrs.add(new IfaceAddress(a.prefix().address(), a.prefix().length()));
                }
                out.add(new Iface(l.name(), l.index(), l.mtu(), l.up(), addrs));
            }
            return out;
        } catch (NetlinkException e) {
            throw new IllegalStateException("cannot list interfaces: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<RouteLookup> routeGet(InetAddress destination) {
        try {
            Route r = rtnl.routeGet(destination);
            if (r.device().isEmpty()) {
                return Optional.empty();
            }
            Optional<Link> dev = rtnl.link(r.device().getAsInt());
            return dev.map(l -> new RouteLookup(l.name(), r.preferredSource()));
        } catch (NetlinkException e) {
            if (e.isUnreachable() || e.isNotFound()) {
                return Optional.empty();
            }
            throw new IllegalStateException("route get " + destination.getHostAddress() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<String> defaultRouteDevice(IpFamily family) {
        try {
            for (Route r : rtnl.routes(RouteFilter.main(family))) {
                if (r.destination().length() == 0 && r.device().isPresent()) {
                    return rtnl.link(r.device().getAsInt()).map(Link::name);
                }
            }
            return Optional.empty();
        } catch (NetlinkException e) {
            throw new IllegalStateException("cannot read the default route: " + e.getMessage(), e);
        }
    }
}
