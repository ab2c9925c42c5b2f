package dev.weft.rtnl;

import dev.weft.net.IpPrefix;
import dev.weft.nl.Nl;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One write request, encoded once, ready to go alone or in a {@link RtnlClient#batch batch}.
 * Its {@link #summary()} spells it the way {@code ip}/{@code bridge} would (devices as
 * {@code #index}), which is what error messages show.
 */
public final class RtnlRequest {
    /** What the request touches. */
    public enum Kind { LINK, ADDRESS, NEIGHBOUR, FDB, ROUTE, NEXTHOP }

    private final Kind kind;
    private final byte[] wire;
    private final Supplier<String> summary;
    private final boolean delete;

    private RtnlRequest(Kind kind, byte[] wire, boolean delete, Supplier<String> summary) {
        this.kind = kind;
        this.wire = wire;
        this.delete = delete;
        this.summary = summary;
    }

    /** {@code ip neigh replace IP lladdr MAC dev #INDEX nud permanent}. */
    public static RtnlRequest replaceNeighbour(int index, InetAddress ip, MacAddress mac) {
        return new RtnlRequest(Kind.NEIGHBOUR, NeighbourCodec.replaceNeighbour(index, ip, mac), false,
                () -> "neigh replace " + IpPrefix.format(ip) + " lladdr " + mac + " dev #" + index + " nud permanent");
    }

    /** {@code ip neigh del IP dev #INDEX}. */
    public static RtnlRequest deleteNeighbour(int index, InetAddress ip) {
        return new RtnlRequest(Kind.NEIGHBOUR, NeighbourCodec.deleteNeighbour(index, ip), true,
                () -> "neigh del " + IpPrefix.format(ip) + " dev #" + index);
    }

    /** {@code bridge fdb replace MAC dev #INDEX dst DST self permanent}. */
    public static RtnlRequest replaceFdb(int index, MacAddress mac, InetAddress dst) {
        return new RtnlRequest(Kind.FDB, NeighbourCodec.writeFdb(index, mac, dst, Nl.NLM_F_CREATE | Nl.NLM_F_REPLACE),
                false, () -> "fdb replace " + mac + " dev #" + index + " dst " + IpPrefix.format(dst) + " self permanent");
    }

    /** {@code bridge fdb append MAC dev #INDEX dst DST self permanent}. */
    public static RtnlRequest appendFdb(int index, MacAddress mac, InetAddress dst) {
        return new RtnlRequest(Kind.FDB, NeighbourCodec.writeFdb(index, mac, dst, Nl.NLM_F_CREATE | Nl.NLM_F_APPEND),
                false, () -> "fdb append " + mac + " dev #" + index + " dst " + IpPrefix.format(dst) + " self permanent");
    }

    /** {@code bridge fdb del MAC dev #INDEX [dst DST] self}. */
    public static RtnlRequest deleteFdb(int index, MacAddress mac, Optional<InetAddress> dst) {
        return new RtnlRequest(Kind.FDB, NeighbourCodec.deleteFdb(index, mac, dst), true,
                () -> "fdb del " + mac + " dev #" + index + dst.map(d -> " dst " + IpPrefix.format(d)).orElse("") + " self");
    }

    /** {@code ip nexthop replace id ID via GW dev #INDEX [onlink] proto P}: creates it, or rewrites it in place. */
    public static RtnlRequest replaceNexthop(Nexthop n) {
        return new RtnlRequest(Kind.NEXTHOP, NexthopCodec.write(n, Nl.NLM_F_CREATE | Nl.NLM_F_REPLACE), false,
                () -> "nexthop replace " + describe(n));
    }

    /** {@code ip nexthop add id ID via GW dev #INDEX [onlink] proto P}: fails with EEXIST when the id is taken. */
    public static RtnlRequest addNexthop(Nexthop n) {
        return new RtnlRequest(Kind.NEXTHOP, NexthopCodec.write(n, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL), false,
                () -> "nexthop add " + describe(n));
    }

    /** {@code ip nexthop del id ID}: the kernel removes the routes using it too. */
    public static RtnlRequest deleteNexthop(int id) {
        return new RtnlRequest(Kind.NEXTHOP, NexthopCodec.delete(id), true,
                () -> "nexthop del id " + Integer.toUnsignedString(id));
    }

    /** {@code ip route replace DST [via GW] dev #INDEX [onlink] proto P [table T]}, or {@code DST nhid ID proto P}. */
    public static RtnlRequest replaceRoute(Route route) {
        return new RtnlRequest(Kind.ROUTE, RouteCodec.write(route, Nl.NLM_F_CREATE | Nl.NLM_F_REPLACE), false,
                () -> "route replace " + describe(route));
    }

    /** {@code ip route add ...}: fails with EEXIST when the route exists. */
    public static RtnlRequest addRoute(Route route) {
        return new RtnlRequest(Kind.ROUTE, RouteCodec.write(route, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL), false,
                () -> "route add " + describe(route));
    }

    /** {@code ip route del DST [via GW] dev #INDEX proto P [table T]}. */
    public static RtnlRequest deleteRoute(Route route) {
        return new RtnlRequest(Kind.ROUTE, RouteCodec.delete(route), true, () -> "route del " + describe(route));
    }

    /** {@code ip addr add PREFIX dev #INDEX}. */
    public static RtnlRequest addAddress(int index, IpPrefix prefix) {
        return new RtnlRequest(Kind.ADDRESS, AddressCodec.add(index, prefix, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL), false,
                () -> "addr add " + prefix + " dev #" + index);
    }

    /** {@code ip addr replace PREFIX dev #INDEX}. */
    public static RtnlRequest replaceAddress(int index, IpPrefix prefix) {
        return new RtnlRequest(Kind.ADDRESS, AddressCodec.add(index, prefix, Nl.NLM_F_CREATE | Nl.NLM_F_REPLACE), false,
                () -> "addr replace " + prefix + " dev #" + index);
    }

    /** {@code ip addr del PREFIX dev #INDEX}. */
    public static RtnlRequest deleteAddress(int index, IpPrefix prefix) {
        return new RtnlRequest(Kind.ADDRESS, AddressCodec.delete(index, prefix), true,
                () -> "addr del " + prefix + " dev #" + index);
    }

    static RtnlRequest link(byte[] wire, boolean delete, Supplier<String> summary) {
        return new RtnlRequest(Kind.LINK, wire, delete, summary);
    }

    public Kind kind() {
        return kind;
    }

    /** True for removals, whose "not found" failure callers usually treat as done. */
    public boolean isDelete() {
        return delete;
    }

    public String summary() {
        return summary.get();
    }

    /** The encoded message (sequence number 0); a copy. */
    public byte[] wire() {
        return wire.clone();
    }

    byte[] wireUnsafe() {
        return wire;
    }

    @Override
    public String toString() {
        return summary();
    }

    static String describe(Route r) {
        Objects.requireNonNull(r, "route");
        StringBuilder b = new StringBuilder(r.destination().toString());
        if (r.nexthopId().isPresent()) {
            b.append(" nhid ").append(Integer.toUnsignedString(r.nexthopId().getAsInt()));
        } else {
            r.gateway().ifPresent(g -> b.append(" via ").append(IpPrefix.format(g)));
            r.device().ifPresent(d -> b.append(" dev #").append(d));
            if (r.onlink()) {
                b.append(" onlink");
            }
        }
        b.append(" proto ").append(r.protocol());
        if (r.table() != Route.MAIN_TABLE) {
            b.append(" table ").append(Integer.toUnsignedString(r.table()));
        }
        r.metric().ifPresent(m -> b.append(" metric ").append(Integer.toUnsignedString(m)));
        return b.toString();
    }

    static String describe(Nexthop n) {
        StringBuilder b = new StringBuilder("id ").append(n.idString());
        n.gateway().ifPresent(g -> b.append(" via ").append(IpPrefix.format(g)));
        n.device().ifPresent(d -> b.append(" dev #").append(d));
        if (n.onlink()) {
            b.append(" onlink");
        }
        return b.append(" proto ").append(n.protocol()).toString();
    }
}
