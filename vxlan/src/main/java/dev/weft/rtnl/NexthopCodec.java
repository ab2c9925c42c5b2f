package dev.weft.rtnl;

import static dev.weft.nl.Nha.NHA_BLACKHOLE;
import static dev.weft.nl.Nha.NHA_FDB;
import static dev.weft.nl.Nha.NHA_GATEWAY;
import static dev.weft.nl.Nha.NHA_GROUP;
import static dev.weft.nl.Nha.NHA_ID;
import static dev.weft.nl.Nha.NHA_OIF;

import dev.weft.net.IpFamily;
import dev.weft.net.IpPrefix;
import dev.weft.nl.Attributes;
import dev.weft.nl.MessageWriter;
import dev.weft.nl.Nha;
import dev.weft.nl.Nl;
import dev.weft.nl.NlDecodeException;
import dev.weft.nl.NlMessage;
import dev.weft.nl.Rta;
import dev.weft.nl.Rtm;
import dev.weft.nl.Structs.NhMsg;

import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * RTM_*NEXTHOP requests and replies (Linux 5.3+). Attribute order follows iproute2's
 * {@code ip nexthop}: id, gateway, device. Deletes and dumps carry an all-zero nhmsg, which the
 * kernel insists on for them.
 */
final class NexthopCodec {
    private NexthopCodec() {
    }

    /** {@code flags}: NLM_F_CREATE with NLM_F_REPLACE (replace) or NLM_F_EXCL (add). */
    static byte[] write(Nexthop n, int flags) {
        if (!n.isGatewayHop()) {
            throw new IllegalArgumentException("only gateway nexthops are written, not " + n);
        }
        MessageWriter w = new MessageWriter(Rtm.RTM_NEWNEXTHOP, Nl.NLM_F_ACK | flags);
        new NhMsg(Families.code(n.family().orElseThrow()), 0, n.protocol(), n.onlink() ? Rta.RTNH_F_ONLINK : 0).encode(w);
        w.attrU32(NHA_ID, n.id());
        w.attrAddress(NHA_GATEWAY, n.gateway().orElseThrow());
        w.attrU32(NHA_OIF, n.device().orElseThrow());
        return w.build();
    }

    /** {@code ip nexthop del id ID}. */
    static byte[] delete(int id) {
        MessageWriter w = new MessageWriter(Rtm.RTM_DELNEXTHOP, Nl.NLM_F_ACK);
        new NhMsg(Nl.AF_UNSPEC, 0, 0, 0).encode(w);
        return w.attrU32(NHA_ID, id).build();
    }

    /** {@code ip nexthop show [dev #INDEX]}: the kernel filters by device; protocol it does not filter. */
    static byte[] dump(OptionalInt device) {
        MessageWriter w = new MessageWriter(Rtm.RTM_GETNEXTHOP, Nl.NLM_F_DUMP);
        new NhMsg(Nl.AF_UNSPEC, 0, 0, 0).encode(w);
        device.ifPresent(d -> w.attrU32(NHA_OIF, d));
        return w.build();
    }

    /** Decodes RTM_NEWNEXTHOP/RTM_DELNEXTHOP; others yield null. */
    static Nexthop decode(NlMessage m) throws NlDecodeException {
        if (m.type() != Rtm.RTM_NEWNEXTHOP && m.type() != Rtm.RTM_DELNEXTHOP) {
            return null;
        }
        NhMsg h = NhMsg.decode(m);
        Attributes a = m.attributes(Nha.NHMSG_SIZE, Nha.NHA_MAX_READ);
        if (!a.has(NHA_ID) || a.u32(NHA_ID) == 0) {
            throw new NlDecodeException("nexthop without an id");
        }
        Optional<IpFamily> family = Families.isIp(h.family()) ? Optional.of(Families.of(h.family())) : Optional.empty();
        Optional<InetAddress> gateway = a.has(NHA_GATEWAY) ? Optional.of(a.address(NHA_GATEWAY)) : Optional.empty();
        if (gateway.isPresent() && (family.isEmpty() || IpFamily.of(gateway.get()) != family.get())) {
            throw new NlDecodeException("nexthop gateway " + IpPrefix.format(gateway.get()) + " does not fit family "
                    + h.family());
        }
        return new Nexthop(a.u32(NHA_ID), family, gateway, LinkCodec.positive(a, NHA_OIF), h.protocol(),
                (h.flags() & Rta.RTNH_F_ONLINK) != 0, a.has(NHA_GROUP), a.has(NHA_BLACKHOLE), a.has(NHA_FDB));
    }
}
