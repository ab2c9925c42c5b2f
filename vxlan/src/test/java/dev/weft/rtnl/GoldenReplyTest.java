package dev.weft.rtnl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.net.IpFamily;
import dev.weft.net.IpPrefix;
import dev.weft.nl.ErrorReply;
import dev.weft.nl.Golden;
import dev.weft.nl.Nl;
import dev.weft.nl.NlDecodeException;
import dev.weft.nl.NlMessage;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

/**
 * Every decoder against real kernel replies, captured with {@code strace -e read=all} around the
 * {@code ip}/{@code bridge} commands named in each golden file's header (Linux 6.18, x86-64).
 * The expected values are what {@code ip -d -j} printed for the same objects at capture time.
 */
class GoldenReplyTest {
    private static final MacAddress MAC1 = MacAddress.parse("0a:00:00:00:00:01");
    private static final MacAddress MAC2 = MacAddress.parse("0a:00:00:00:00:02");

    @Test
    void vxlanLinks() throws Exception {
        assertThat(decode("reply-link-vxlan4", LinkCodec::decode)).containsExactly(new Link(4, "flannel.1", 1450,
                Optional.of(MAC1), true, Optional.of("vxlan"), Optional.of(new VxlanInfo(1, Optional.of(ip("198.18.0.1")),
                OptionalInt.of(3), 8472, false, true)), OptionalInt.empty(), OptionalInt.empty()));
        assertThat(decode("reply-link-vxlan6", LinkCodec::decode)).singleElement().satisfies(l -> {
            assertThat(l.name()).isEqualTo("flannel-v6.1");
            assertThat(l.mtu()).isEqualTo(1430);
            assertThat(l.vxlan()).contains(new VxlanInfo(1, Optional.of(ip("fd00:198:18::1")), OptionalInt.of(3), 8472,
                    false, false));
        });
    }

    @Test
    void vethLink() throws Exception {
        assertThat(decode("reply-link-veth", LinkCodec::decode)).containsExactly(new Link(3, "u0", 1500,
                Optional.of(MacAddress.parse("72:ac:c5:e6:76:74")), true, Optional.of("veth"), Optional.empty(),
                OptionalInt.empty(), OptionalInt.of(2)));
    }

    @Test
    void neighbourDumpIncludingKernelMadeEntriesAndDone() throws Exception {
        assertThat(decode("reply-neigh-dump", NeighbourCodec::decodeNeighbour)).containsExactly(
                Neighbour.permanent(4, ip("10.42.2.0"), MAC2),
                new Neighbour(4, ip("ff02::16"), Optional.of(MacAddress.parse("33:33:00:00:00:16")), NeighbourState.NOARP),
                new Neighbour(4, ip("ff02::1:ff00:1"), Optional.of(MacAddress.parse("33:33:ff:00:00:01")), NeighbourState.NOARP));
        List<NlMessage> all = Golden.messages(Golden.bytes("reply-neigh-dump"));
        assertThat(all.getLast().type()).isEqualTo(Nl.NLMSG_DONE);
        assertThat(decode("reply-neigh-dump", NeighbourCodec::decodeFdb)).as("no AF_BRIDGE entries here").isEmpty();
    }

    @Test
    void fdbDump() throws Exception {
        assertThat(decode("reply-fdb-dump", NeighbourCodec::decodeFdb))
                .containsExactly(FdbEntry.permanent(4, MAC2, ip("198.18.0.2")));
        assertThat(decode("reply-fdb-dump", NeighbourCodec::decodeNeighbour)).isEmpty();
    }

    @Test
    void routeDumpsAndRouteGet() throws Exception {
        assertThat(decode("reply-route-dump-v4", RouteCodec::decode)).containsExactly(
                Route.via(IpPrefix.parse("10.42.2.0/24"), ip("10.42.2.0"), 4, 87).withOnlink(true));
        assertThat(decode("reply-route-dump-v6", RouteCodec::decode)).containsExactly(
                new Route(IpPrefix.parse("fd00:42:2::/64"), Optional.of(ip("fd00:42:2::")), OptionalInt.of(5), 254, 87,
                        Scope.UNIVERSE, RouteType.UNICAST, true, OptionalInt.of(1024), Optional.empty(),
                        OptionalInt.empty()),
                new Route(IpPrefix.parse("fe80::/64"), Optional.empty(), OptionalInt.of(5), 254, 2, Scope.UNIVERSE,
                        RouteType.UNICAST, false, OptionalInt.of(256), Optional.empty(), OptionalInt.empty()));
        assertThat(decode("reply-route-get-v4", RouteCodec::decode)).containsExactly(
                new Route(IpPrefix.parse("198.18.0.2/32"), Optional.empty(), OptionalInt.of(3), 254, 0, Scope.UNIVERSE,
                        RouteType.UNICAST, false, OptionalInt.empty(), Optional.of(ip("198.18.0.1")),
                        OptionalInt.empty()));
    }

    /** Nexthop objects as {@code ip -j nexthop show} listed them; the dump ends with NLMSG_DONE. */
    @Test
    void nexthopDump() throws Exception {
        assertThat(decode("reply-nexthop-dump", NexthopCodec::decode)).containsExactly(
                new Nexthop(7, Optional.of(IpFamily.V4), Optional.of(ip("198.18.0.2")), OptionalInt.of(3), 0, false, false,
                        false, false),
                Nexthop.via(1443020544, ip("fd00:42:2::"), 5, 87).withOnlink(true),
                Nexthop.via(1460283906, ip("10.42.2.0"), 4, 87).withOnlink(true),
                Nexthop.via(1460283907, ip("10.42.3.0"), 4, 87).withOnlink(true));
        assertThat(Golden.messages(Golden.bytes("reply-nexthop-dump")).getLast().type()).isEqualTo(Nl.NLMSG_DONE);
        assertThat(decode("reply-nexthop-dump", RouteCodec::decode)).isEmpty();
    }

    /** In compat mode (the default) the kernel reports a nexthop route with the object's gateway, device and flags too. */
    @Test
    void nexthopRouteDump() throws Exception {
        assertThat(decode("reply-route-dump-nhid-v4", RouteCodec::decode)).containsExactly(
                Route.via(IpPrefix.parse("10.42.2.0/24"), ip("10.42.2.0"), 4, 87).withOnlink(true).withNexthop(1460283906));
        assertThat(decode("reply-route-dump-nhid-v4", NexthopCodec::decode)).isEmpty();
    }

    @Test
    void addressDump() throws Exception {
        assertThat(decode("reply-addr-dump", AddressCodec::decode)).containsExactly(
                new Address(4, IpPrefix.parse("10.42.1.0/32"), Scope.UNIVERSE, Optional.of("flannel.1")),
                new Address(4, IpPrefix.parse("fe80::800:ff:fe00:1/64"), Scope.LINK, Optional.empty()));
    }

    @Test
    void acknowledgementsAndErrors() throws Exception {
        ErrorReply ack = ErrorReply.decode(Golden.messages(Golden.bytes("reply-ack")).getFirst());
        assertThat(ack.isAck()).isTrue();
        assertThat(ack.requestType()).isEqualTo(28);

        // Uncapped (iproute2 does not set NETLINK_CAP_ACK): the whole request is echoed before the TLVs.
        ErrorReply err = ErrorReply.decode(Golden.messages(Golden.bytes("reply-error-extack")).getFirst());
        assertThat(err.errno()).isEqualTo(101);
        assertThat(err.requestType()).isEqualTo(24);
        assertThat(err.extAck()).contains("Nexthop has invalid gateway");
    }

    /** weft's own sockets set NETLINK_CAP_ACK: only the request header is echoed; bytes derived from struct nlmsgerr. */
    @Test
    void cappedErrorWithMessageAndOffset() throws Exception {
        byte[] capped = Golden.hex("""
                3c000000 0200 0003 07000000 2a000000 // NLMSG_ERROR, flags CAPPED|ACK_TLVS, seq 7, pid 42
                efffffff                             // error -17 (EEXIST)
                30000000 1000 0506 07000000 00000000 // the echoed request header: RTM_NEWLINK
                1000 0100 4c696e6b20657869737473 00  // NLMSGERR_ATTR_MSG "Link exists"
                0800 0200 20000000                   // NLMSGERR_ATTR_OFFS 32
                """);
        ErrorReply e = ErrorReply.decode(Golden.messages(capped).getFirst());
        assertThat(e).isEqualTo(new ErrorReply(17, 16, 7, Optional.of("Link exists"), OptionalInt.of(32)));
    }

    /** Decodes every message of a golden datagram, dropping those the decoder does not want. */
    static <T> List<T> decode(String golden, dev.weft.nl.Decoder<T> decoder) throws NlDecodeException {
        List<T> out = new ArrayList<>();
        for (NlMessage m : Golden.messages(Golden.bytes(golden))) {
            out.add(decoder.decode(m));
        }
        return out.stream().filter(Objects::nonNull).toList();
    }

    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }
}
