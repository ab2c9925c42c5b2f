package dev.weft.rtnl;

import static dev.weft.nl.Nda.NDA_DST;
import static dev.weft.nl.Nda.NDA_IFINDEX;
import static dev.weft.nl.Nda.NDA_LLADDR;

import dev.weft.net.IpFamily;
import dev.weft.net.IpPrefix;
import dev.weft.nl.Attributes;
import dev.weft.nl.MessageWriter;
import dev.weft.nl.Nda;
import dev.weft.nl.Nl;
import dev.weft.nl.NlDecodeException;
import dev.weft.nl.NlMessage;
import dev.weft.nl.Rtm;
import dev.weft.nl.Structs.NdMsg;

import java.net.InetAddress;
import java.util.Optional;

/**
 * RTM_*NEIGH for both tables that use it: the IP neighbour cache (AF_INET/AF_INET6) and a
 * VXLAN device's forwarding database (AF_BRIDGE with NTF_SELF). Attribute order and state bits
 * follow iproute2 ({@code ip neigh}, {@code bridge fdb}) so golden bytes compare exactly.
 */
final class NeighbourCodec {
    /** {@code bridge fdb ... permanent} sends NUD_PERMANENT together with NUD_NOARP. */
    private static final int FDB_PERMANENT = Nda.NUD_PERMANENT | Nda.NUD_NOARP;

    private NeighbourCodec() {
    }

    static byte[] replaceNeighbour(int index, InetAddress ip, MacAddress mac) {
        MessageWriter w = new MessageWriter(Rtm.RTM_NEWNEIGH, Nl.NLM_F_ACK | Nl.NLM_F_CREATE | Nl.NLM_F_REPLACE);
        new NdMsg(Families.code(IpFamily.of(ip)), index, Nda.NUD_PERMANENT, 0, 0).encode(w);
        return w.attrAddress(NDA_DST, ip).attr(NDA_LLADDR, mac.octets()).build();
    }

    static byte[] deleteNeighbour(int index, InetAddress ip) {
        MessageWriter w = new MessageWriter(Rtm.RTM_DELNEIGH, Nl.NLM_F_ACK);
        new NdMsg(Families.code(IpFamily.of(ip)), index, Nda.NUD_PERMANENT, 0, 0).encode(w);
        return w.attrAddress(NDA_DST, ip).build();
    }

    /** Neighbours of one device, both families. */
    static byte[] dumpNeighbours(int index) {
        MessageWriter w = new MessageWriter(Rtm.RTM_GETNEIGH, Nl.NLM_F_DUMP);
        new NdMsg(Nl.AF_UNSPEC, 0, 0, 0, 0).encode(w);
        return w.attrU32(NDA_IFINDEX, index).build();
    }

    /** {@code flags}: NLM_F_CREATE with NLM_F_REPLACE or NLM_F_APPEND. */
    static byte[] writeFdb(int index, MacAddress mac, InetAddress dst, int flags) {
        MessageWriter w = new MessageWriter(Rtm.RTM_NEWNEIGH, Nl.NLM_F_ACK | flags);
        new NdMsg(Nl.AF_BRIDGE, index, FDB_PERMANENT, Nda.NTF_SELF, 0).encode(w);
        return w.attr(NDA_LLADDR, mac.octets()).attrAddress(NDA_DST, dst).build();
    }

    static byte[] deleteFdb(int index, MacAddress mac, Optional<InetAddress> dst) {
        MessageWriter w = new MessageWriter(Rtm.RTM_DELNEIGH, Nl.NLM_F_ACK);
        new NdMsg(Nl.AF_BRIDGE, index, FDB_PERMANENT, Nda.NTF_SELF, 0).encode(w);
        w.attr(NDA_LLADDR, mac.octets());
        dst.ifPresent(d -> w.attrAddress(NDA_DST, d));
        return w.build();
    }

    /** The forwarding database of one device (the kernel filters on ndm_ifindex). */
    static byte[] dumpFdb(int index) {
        MessageWriter w = new MessageWriter(Rtm.RTM_GETNEIGH, Nl.NLM_F_DUMP);
        new NdMsg(Nl.AF_BRIDGE, index, 0, 0, 0).encode(w);
        return w.build();
    }

    /** Decodes an IP neighbour message; FDB and other messages yield null. */
    static Neighbour decodeNeighbour(NlMessage m) throws NlDecodeException {
        if (!isNeighbourMessage(m)) {
            return null;
        }
        NdMsg h = NdMsg.decode(m);
        if (!Families.isIp(h.family())) {
            return null;
        }
        Attributes a = m.attributes(Nda.NDMSG_SIZE, Nda.NDA_MAX_READ);
        InetAddress ip = a.address(NDA_DST);
        if (IpFamily.of(ip) != Families.of(h.family())) {
            throw new NlDecodeException("neighbour " + IpPrefix.format(ip) + " does not match family " + h.family());
        }
        return new Neighbour(h.index(), ip, mac(a), state(h.state()));
    }

    /** Decodes an AF_BRIDGE forwarding entry; IP neighbours and entries without a MAC yield null. */
    static FdbEntry decodeFdb(NlMessage m) throws NlDecodeException {
        if (!isNeighbourMessage(m)) {
            return null;
        }
        NdMsg h = NdMsg.decode(m);
        if (h.family() != Nl.AF_BRIDGE) {
            return null;
        }
        Attributes a = m.attributes(Nda.NDMSG_SIZE, Nda.NDA_MAX_READ);
        Optional<MacAddress> mac = mac(a);
        if (mac.isEmpty()) {
            return null;
        }
        Optional<InetAddress> dst = a.has(NDA_DST) ? Optional.of(a.address(NDA_DST)) : Optional.empty();
        return new FdbEntry(h.index(), mac.get(), dst, state(h.state()), (h.flags() & Nda.NTF_SELF) != 0);
    }

    private static boolean isNeighbourMessage(NlMessage m) {
        return m.type() == Rtm.RTM_NEWNEIGH || m.type() == Rtm.RTM_DELNEIGH;
    }

    private static Optional<MacAddress> mac(Attributes a) throws NlDecodeException {
        return a.has(NDA_LLADDR) && a.size(NDA_LLADDR) == 6
                ? Optional.of(MacAddress.of(a.bytes(NDA_LLADDR))) : Optional.empty();
    }

    /** The state bits collapse to the most telling one; PERMANENT wins over the NOARP that often rides along. */
    static NeighbourState state(int nud) {
        if ((nud & Nda.NUD_PERMANENT) != 0) {
            return NeighbourState.PERMANENT;
        }
        if ((nud & Nda.NUD_NOARP) != 0) {
            return NeighbourState.NOARP;
        }
        if ((nud & Nda.NUD_REACHABLE) != 0) {
            return NeighbourState.REACHABLE;
        }
        if ((nud & Nda.NUD_STALE) != 0) {
            return NeighbourState.STALE;
        }
        if ((nud & Nda.NUD_DELAY) != 0) {
            return NeighbourState.DELAY;
        }
        if ((nud & Nda.NUD_PROBE) != 0) {
            return NeighbourState.PROBE;
        }
        if ((nud & Nda.NUD_INCOMPLETE) != 0) {
            return NeighbourState.INCOMPLETE;
        }
        return (nud & Nda.NUD_FAILED) != 0 ? NeighbourState.FAILED : NeighbourState.NONE;
    }
}
