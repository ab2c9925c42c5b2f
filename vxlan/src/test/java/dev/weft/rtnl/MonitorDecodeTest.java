package dev.weft.rtnl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.nl.Golden;
import dev.weft.nl.NlMessage;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Notifications share the dump replies' format: the golden replies double as notification samples. */
class MonitorDecodeTest {
    @Test
    void eachMessageKindBecomesItsEvent() throws Exception {
        assertThat(events("reply-link-vxlan4")).singleElement().isInstanceOfSatisfying(RtnlEvent.LinkEvent.class,
                e -> assertThat(e.link().name()).isEqualTo("flannel.1"));
        assertThat(events("reply-fdb-dump")).singleElement().isInstanceOf(RtnlEvent.FdbEvent.class);
        assertThat(events("reply-neigh-dump")).hasSize(3).allMatch(e -> e instanceof RtnlEvent.NeighbourEvent);
        assertThat(events("reply-route-dump-v4")).singleElement().isInstanceOf(RtnlEvent.RouteEvent.class);
        assertThat(events("reply-addr-dump")).hasSize(2).allMatch(e -> e instanceof RtnlEvent.AddressEvent);
        assertThat(events("reply-nexthop-dump")).hasSize(4).allMatch(e -> e instanceof RtnlEvent.NexthopEvent);
        assertThat(events("reply-ack")).isEmpty();
    }

    @Test
    void deletionsAreDeletions() throws Exception {
        byte[] bytes = Golden.bytes("reply-route-dump-v4");
        Golden.buffer(bytes).putShort(4, (short) dev.weft.nl.Rtm.RTM_DELROUTE);
        RtnlEvent e = RtnlMonitor.decode(Golden.messages(bytes).getFirst());
        assertThat(e).isInstanceOfSatisfying(RtnlEvent.RouteEvent.class,
                r -> assertThat(r.action()).isEqualTo(RtnlEvent.Action.DELETED));
    }

    @Test
    void nexthopDeletionsAreDeletions() throws Exception {
        byte[] bytes = Golden.bytes("reply-nexthop-dump");
        Golden.buffer(bytes).putShort(4, (short) dev.weft.nl.Rtm.RTM_DELNEXTHOP);
        RtnlEvent e = RtnlMonitor.decode(Golden.messages(bytes).getFirst());
        assertThat(e).isInstanceOfSatisfying(RtnlEvent.NexthopEvent.class, n -> {
            assertThat(n.action()).isEqualTo(RtnlEvent.Action.DELETED);
            assertThat(n.nexthop().id()).isEqualTo(7);
        });
    }

    private static List<RtnlEvent> events(String golden) throws Exception {
        List<RtnlEvent> out = new java.util.ArrayList<>();
        for (NlMessage m : Golden.messages(Golden.bytes(golden))) {
            RtnlEvent e = RtnlMonitor.decode(m);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }
}
