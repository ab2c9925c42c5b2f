package dev.weft.rtnl;

import static dev.weft.nl.Rta.RTA_DST;
import static dev.weft.nl.Rta.RTA_GATEWAY;
import static dev.weft.nl.Rta.RTA_NH_ID;
import static dev.weft.nl.Rta.RTA_OIF;
import static dev.weft.nl.Rta.RTA_PREFSRC;
import static dev.weft.nl.Rta.RTA_PRIORITY;
import static dev.weft.nl.Rta.RTA_TABLE;

import dev.weft.net.IpFamily;
import dev.weft.net.IpPrefix;
import dev.weft.nl.Attributes;
import dev.weft.nl.MessageWriter;
import dev.weft.nl.Nl;
import dev.weft.nl.NlDecodeException;
import dev.weft.nl.NlMessage;
import dev.weft.nl.Rta;
import dev.weft.nl.Rtm;
import dev.weft.nl.Structs.RtMsg;

import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * RTM_*ROUTE requests and replies. Like iproute2, a table id that fits rtm_table goes there and
 * RTA_TABLE is only added for ids above 255; a delete matches any scope and type. A route through
 * a nexthop object carries RTA_NH_ID and neither gateway, device nor on-link flag: the kernel
 * refuses those beside it, and matches a delete by the id.
 */
final class RouteCodec {
    private RouteCodec() {
    }

    /** {@code flags}: NLM_F_CREATE with NLM_F_REPLACE (replace) or NLM_F_EXCL (add). */
    static byte[] write(Route r, int flags) {
        MessageWriter w = new MessageWriter(Rtm.RTM_NEWROUTE, Nl.NLM_F_ACK | flags);
        header(r, r.scope().code(), r.type().code()).encode(w);
        return attributes(w, r).build();
    }

    static byte[] delete(Route r) {
        MessageWriter w = new MessageWriter(Rtm.RTM_DELROUTE, Nl.NLM_F_ACK);
        header(r, Rta.RT_SCOPE_NOWHERE, Rta.RTN_UNSPEC).encode(w);
        return attributes(w, r).build();
    }

    /** A filtered dump; the kernel applies table, protocol and device filters (strict checking). */
    static byte[] dump(RouteFilter f) {
        MessageWriter w = new MessageWriter(Rtm.RTM_GETROUTE, Nl.NLM_F_DUMP);
        new RtMsg(Families.code(f.family()), 0, 0, 0, 0, f.protocol().orElse(0), 0, 0, 0).encode(w);
        f.table().ifPresent(t -> w.attrU32(RTA_TABLE, t));
        f.device().ifPresent(d -> w.attrU32(RTA_OIF, d));
        return w.build();
    }

    /** {@code ip route get DST}. */
    static byte[] get(InetAddress dst) {
        MessageWriter w = new MessageWriter(Rtm.RTM_GETROUTE, 0);
        IpFamily f = IpFamily.of(dst);
        // IPv6's strictly checked RTM_GETROUTE accepts no flag but RTM_F_FIB_MATCH ("Invalid flags for get route
        // request"); RTM_F_LOOKUP_TABLE, which makes IPv4 name the table, does not exist there.
        int flags = f == IpFamily.V4 ? Rta.RTM_F_LOOKUP_TABLE : 0;
        new RtMsg(Families.code(f), f.bits(), 0, 0, 0, 0, 0, 0, flags).encode(w);
        return w.attrAddress(RTA_DST, dst).build();
    }

    private static RtMsg header(Route r, int scope, int type) {
        int table = r.table() > 255 || r.table() < 0 ? Rta.RT_TABLE_UNSPEC : r.table();
        boolean onlink = r.onlink() && r.nexthopId().isEmpty();
        return new RtMsg(Families.code(r.family()), r.destination().length(), 0, 0, table, r.protocol(), scope, type,
                onlink ? Rta.RTNH_F_ONLINK : 0);
    }

    private static MessageWriter attributes(MessageWriter w, Route r) {
        if (r.destination().length() > 0) {
            w.attrAddress(RTA_DST, r.destination().address());
        }
        if (r.nexthopId().isPresent()) {
            w.attrU32(RTA_NH_ID, r.nexthopId().getAsInt());
        } else {
            r.gateway().ifPresent(g -> w.attrAddress(RTA_GATEWAY, g));
            r.device().ifPresent(d -> w.attrU32(RTA_OIF, d));
        }
        r.metric().ifPresent(m -> w.attrU32(RTA_PRIORITY, m));
        if (r.table() > 255 || r.table() < 0) {
            w.attrU32(RTA_TABLE, r.table());
        }
        return w;
    }

    /** Decodes RTM_NEWROUTE/RTM_DELROUTE of IPv4/IPv6; others yield null. */
    static Route decode(NlMessage m) throws NlDecodeException {
        if (m.type() != Rtm.RTM_NEWROUTE && m.type() != Rtm.RTM_DELROUTE) {
            return null;
        }
        RtMsg h = RtMsg.decode(m);
        if (!Families.isIp(h.family())) {
            return null;
        }
        IpFamily family = Families.of(h.family());
        Attributes a = m.attributes(Rta.RTMSG_SIZE, Rta.RTA_MAX_READ);
        InetAddress dst = a.has(RTA_DST) ? a.address(RTA_DST) : zero(family);
        if (IpFamily.of(dst) != family || h.dstLength() > family.bits()) {
            throw new NlDecodeException("route destination " + IpPrefix.format(dst) + "/" + h.dstLength()
                    + " does not fit family " + h.family());
        }
        Optional<InetAddress> gateway = a.has(RTA_GATEWAY) ? Optional.of(a.address(RTA_GATEWAY)) : Optional.empty();
        if (gateway.isPresent() && IpFamily.of(gateway.get()) != family) {
            throw new NlDecodeException("route gateway " + IpPrefix.format(gateway.get()) + " does not fit family " + h.family());
        }
        OptionalInt metric = a.has(RTA_PRIORITY) ? OptionalInt.of(a.u32(RTA_PRIORITY)) : OptionalInt.empty();
        Optional<InetAddress> src = a.has(RTA_PREFSRC) ? Optional.of(a.address(RTA_PREFSRC)) : Optional.empty();
        int table = a.has(RTA_TABLE) ? a.u32(RTA_TABLE) : h.table();
        OptionalInt nexthop = a.has(RTA_NH_ID) && a.u32(RTA_NH_ID) != 0 ? OptionalInt.of(a.u32(RTA_NH_ID)) : OptionalInt.empty();
        return new Route(new IpPrefix(dst, h.dstLength()), gateway, LinkCodec.positive(a, RTA_OIF), table, h.protocol(),
                Scope.of(h.scope()), RouteType.of(h.type()), (h.flags() & Rta.RTNH_F_ONLINK) != 0, metric, src, nexthop);
    }

    private static InetAddress zero(IpFamily f) {
        try {
            return InetAddress.getByAddress(new byte[f.bytes()]);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // impossible: 4 or 16 bytes
        }
    }
}
