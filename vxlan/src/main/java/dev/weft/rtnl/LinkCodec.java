package dev.weft.rtnl;

import static dev.weft.nl.Ifla.IFLA_ADDRESS;
import static dev.weft.nl.Ifla.IFLA_EXT_MASK;
import static dev.weft.nl.Ifla.IFLA_IFNAME;
import static dev.weft.nl.Ifla.IFLA_INFO_DATA;
import static dev.weft.nl.Ifla.IFLA_INFO_KIND;
import static dev.weft.nl.Ifla.IFLA_LINK;
import static dev.weft.nl.Ifla.IFLA_LINKINFO;
import static dev.weft.nl.Ifla.IFLA_MASTER;
import static dev.weft.nl.Ifla.IFLA_MTU;
import static dev.weft.nl.Ifla.IFLA_VXLAN_GBP;
import static dev.weft.nl.Ifla.IFLA_VXLAN_ID;
import static dev.weft.nl.Ifla.IFLA_VXLAN_LEARNING;
import static dev.weft.nl.Ifla.IFLA_VXLAN_LINK;
import static dev.weft.nl.Ifla.IFLA_VXLAN_LOCAL6;
import static dev.weft.nl.Ifla.IFLA_VXLAN_LOCAL;
import static dev.weft.nl.Ifla.IFLA_VXLAN_PORT;

import dev.weft.net.IpFamily;
import dev.weft.nl.Attributes;
import dev.weft.nl.Ifla;
import dev.weft.nl.MessageWriter;
import dev.weft.nl.Nl;
import dev.weft.nl.NlDecodeException;
import dev.weft.nl.NlMessage;
import dev.weft.nl.Rtm;
import dev.weft.nl.Structs.IfInfoMsg;

import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalInt;

/** RTM_*LINK requests and replies. Attribute order follows iproute2's, so golden bytes compare exactly. */
final class LinkCodec {
    private LinkCodec() {
    }

    static byte[] createVxlan(VxlanLinkSpec s) {
        MessageWriter w = new MessageWriter(Rtm.RTM_NEWLINK, Nl.NLM_F_ACK | Nl.NLM_F_CREATE | Nl.NLM_F_EXCL);
        new IfInfoMsg(Nl.AF_UNSPEC, 0, 0, 0, 0).encode(w);
        s.mac().ifPresent(m -> w.attr(IFLA_ADDRESS, m.octets()));
        s.mtu().ifPresent(mtu -> w.attrU32(IFLA_MTU, mtu));
        w.attrString(IFLA_IFNAME, s.name());
        int info = w.beginNested(IFLA_LINKINFO);
        w.attrBareString(IFLA_INFO_KIND, "vxlan");
        int data = w.beginNested(IFLA_INFO_DATA);
        w.attrU32(IFLA_VXLAN_LINK, s.underlayIndex());
        if (s.gbp()) {
            w.attrFlag(IFLA_VXLAN_GBP);
        }
        w.attrU32(IFLA_VXLAN_ID, s.vni());
        w.attrAddress(IpFamily.of(s.local()) == IpFamily.V4 ? IFLA_VXLAN_LOCAL : IFLA_VXLAN_LOCAL6, s.local());
        w.attrU8(IFLA_VXLAN_LEARNING, s.learning() ? 1 : 0);
        w.attrBe16(IFLA_VXLAN_PORT, s.port());
        w.endNested(data);
        w.endNested(info);
        return w.build();
    }

    /** {@code ip link set dev X up|down}: change only the IFF_UP bit. */
    static byte[] setUp(int index, boolean up) {
        MessageWriter w = new MessageWriter(Rtm.RTM_NEWLINK, Nl.NLM_F_ACK);
        new IfInfoMsg(Nl.AF_UNSPEC, 0, index, up ? Ifla.IFF_UP : 0, Ifla.IFF_UP).encode(w);
        return w.build();
    }

    static byte[] setMtu(int index, int mtu) {
        MessageWriter w = new MessageWriter(Rtm.RTM_NEWLINK, Nl.NLM_F_ACK);
        new IfInfoMsg(Nl.AF_UNSPEC, 0, index, 0, 0).encode(w);
        return w.attrU32(IFLA_MTU, mtu).build();
    }

    static byte[] setMac(int index, MacAddress mac) {
        MessageWriter w = new MessageWriter(Rtm.RTM_NEWLINK, Nl.NLM_F_ACK);
        new IfInfoMsg(Nl.AF_UNSPEC, 0, index, 0, 0).encode(w);
        return w.attr(IFLA_ADDRESS, mac.octets()).build();
    }

    static byte[] delete(int index) {
        MessageWriter w = new MessageWriter(Rtm.RTM_DELLINK, Nl.NLM_F_ACK);
        new IfInfoMsg(Nl.AF_UNSPEC, 0, index, 0, 0).encode(w);
        return w.build();
    }

    static byte[] getByName(String name) {
        MessageWriter w = new MessageWriter(Rtm.RTM_GETLINK, 0);
        new IfInfoMsg(Nl.AF_UNSPEC, 0, 0, 0, 0).encode(w);
        return w.attrU32(IFLA_EXT_MASK, Ifla.RTEXT_FILTER_SKIP_STATS).attrString(IFLA_IFNAME, name).build();
    }

    static byte[] getByIndex(int index) {
        MessageWriter w = new MessageWriter(Rtm.RTM_GETLINK, 0);
        new IfInfoMsg(Nl.AF_UNSPEC, 0, index, 0, 0).encode(w);
        return w.attrU32(IFLA_EXT_MASK, Ifla.RTEXT_FILTER_SKIP_STATS).build();
    }

    static byte[] dump() {
        MessageWriter w = new MessageWriter(Rtm.RTM_GETLINK, Nl.NLM_F_DUMP);
        new IfInfoMsg(Nl.AF_UNSPEC, 0, 0, 0, 0).encode(w);
        return w.attrU32(IFLA_EXT_MASK, Ifla.RTEXT_FILTER_SKIP_STATS).build();
    }

    /** Decodes RTM_NEWLINK/RTM_DELLINK; other messages yield null. */
    static Link decode(NlMessage m) throws NlDecodeException {
        if (m.type() != Rtm.RTM_NEWLINK && m.type() != Rtm.RTM_DELLINK) {
            return null;
        }
        IfInfoMsg h = IfInfoMsg.decode(m);
        Attributes a = m.attributes(Ifla.IFINFOMSG_SIZE, Ifla.IFLA_MAX_READ);
        Optional<String> kind = Optional.empty();
        Optional<VxlanInfo> vxlan = Optional.empty();
        if (a.has(IFLA_LINKINFO)) {
            Attributes info = a.nested(IFLA_LINKINFO, IFLA_INFO_DATA);
            kind = info.has(IFLA_INFO_KIND) ? Optional.of(info.string(IFLA_INFO_KIND)) : Optional.empty();
            if (kind.filter("vxlan"::equals).isPresent() && info.has(IFLA_INFO_DATA)) {
                vxlan = Optional.of(decodeVxlan(info.nested(IFLA_INFO_DATA, Ifla.IFLA_VXLAN_MAX_READ)));
            }
        }
        Optional<MacAddress> mac = a.has(IFLA_ADDRESS) && a.size(IFLA_ADDRESS) == 6
                ? Optional.of(MacAddress.of(a.bytes(IFLA_ADDRESS))) : Optional.empty();
        return new Link(h.index(), a.string(IFLA_IFNAME), a.u32(IFLA_MTU), mac, (h.flags() & Ifla.IFF_UP) != 0,
                kind, vxlan, positive(a, IFLA_MASTER), positive(a, IFLA_LINK));
    }

    private static VxlanInfo decodeVxlan(Attributes d) throws NlDecodeException {
        Optional<InetAddress> local = Optional.empty();
        if (d.has(IFLA_VXLAN_LOCAL)) {
            local = Optional.of(d.address(IFLA_VXLAN_LOCAL));
        } else if (d.has(IFLA_VXLAN_LOCAL6)) {
            local = Optional.of(d.address(IFLA_VXLAN_LOCAL6));
        }
        return new VxlanInfo(d.u32(IFLA_VXLAN_ID), local, positive(d, IFLA_VXLAN_LINK),
                d.has(IFLA_VXLAN_PORT) ? d.be16(IFLA_VXLAN_PORT) : 0,
                !d.has(IFLA_VXLAN_LEARNING) || d.u8(IFLA_VXLAN_LEARNING) != 0, d.has(IFLA_VXLAN_GBP));
    }

    /** An index attribute; absent and 0 both mean "none". */
    static OptionalInt positive(Attributes a, int type) throws NlDecodeException {
        if (!a.has(type)) {
            return OptionalInt.empty();
        }
        int v = a.u32(type);
        return v > 0 ? OptionalInt.of(v) : OptionalInt.empty();
    }
}
