package dev.weft.rtnl;

import static dev.weft.nl.Ifa.IFA_ADDRESS;
import static dev.weft.nl.Ifa.IFA_LABEL;
import static dev.weft.nl.Ifa.IFA_LOCAL;

import dev.weft.net.IpFamily;
import dev.weft.net.IpPrefix;
import dev.weft.nl.Attributes;
import dev.weft.nl.Ifa;
import dev.weft.nl.MessageWriter;
import dev.weft.nl.Nl;
import dev.weft.nl.NlDecodeException;
import dev.weft.nl.NlMessage;
import dev.weft.nl.Rtm;
import dev.weft.nl.Structs.IfAddrMsg;

import java.net.InetAddress;
import java.util.Optional;

/** RTM_*ADDR requests and replies; attribute order as iproute2 sends them (IFA_LOCAL, then IFA_ADDRESS). */
final class AddressCodec {
    private AddressCodec() {
    }

    /** {@code flags}: NLM_F_CREATE|NLM_F_EXCL for add, NLM_F_CREATE|NLM_F_REPLACE for replace. */
    static byte[] add(int index, IpPrefix p, int flags) {
        return write(Rtm.RTM_NEWADDR, Nl.NLM_F_ACK | flags, index, p);
    }

    static byte[] delete(int index, IpPrefix p) {
        return write(Rtm.RTM_DELADDR, Nl.NLM_F_ACK, index, p);
    }

    /** All addresses of one interface, both families (strict checking filters on ifa_index). */
    static byte[] dump(int index) {
        MessageWriter w = new MessageWriter(Rtm.RTM_GETADDR, Nl.NLM_F_DUMP);
        new IfAddrMsg(Nl.AF_UNSPEC, 0, 0, 0, index).encode(w);
        return w.build();
    }

    private static byte[] write(int type, int flags, int index, IpPrefix p) {
        MessageWriter w = new MessageWriter(type, flags);
        new IfAddrMsg(Families.code(p.family()), p.length(), 0, 0, index).encode(w);
        w.attrAddress(IFA_LOCAL, p.address());
        w.attrAddress(IFA_ADDRESS, p.address());
        return w.build();
    }

    /** Decodes RTM_NEWADDR/RTM_DELADDR of IPv4/IPv6; others yield null. */
    static Address decode(NlMessage m) throws NlDecodeException {
        if (m.type() != Rtm.RTM_NEWADDR && m.type() != Rtm.RTM_DELADDR) {
            return null;
        }
        IfAddrMsg h = IfAddrMsg.decode(m);
        if (!Families.isIp(h.family())) {
            return null;
        }
        Attributes a = m.attributes(Ifa.IFADDRMSG_SIZE, Ifa.IFA_MAX_READ);
        // On point-to-point links IFA_ADDRESS is the peer; IFA_LOCAL is always our own address.
        InetAddress local = a.has(IFA_LOCAL) ? a.address(IFA_LOCAL) : a.address(IFA_ADDRESS);
        if (Families.of(h.family()) != IpFamily.of(local)) {
            throw new NlDecodeException("address " + IpPrefix.format(local) + " does not match family " + h.family());
        }
        if (h.prefixLength() > IpFamily.of(local).bits()) {
            throw new NlDecodeException("prefix length " + h.prefixLength() + " too long for " + IpPrefix.format(local));
        }
        Optional<String> label = a.has(IFA_LABEL) ? Optional.of(a.string(IFA_LABEL)) : Optional.empty();
        return new Address(h.index(), new IpPrefix(local, h.prefixLength()), Scope.of(h.scope()), label);
    }
}
