package dev.weft.vtep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.ffi.Errno;
import dev.weft.ffi.Received;
import dev.weft.netns.Netns;
import dev.weft.nl.Nl;
import dev.weft.nl.NlSocket;
import dev.weft.nl.Rta;
import dev.weft.nl.Rtm;
import dev.weft.nl.Transport;
import dev.weft.rtnl.RtnlClient;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A kernel without nexthop objects (before Linux 5.3), scripted: the default form falls back to
 * routes with their own gateway, says so once, and writes no nexthop.
 */
class NexthopFallbackTest {
    private final DesiredEntries desired = new Vtep(null).plan(VtepPlanTest.DEV, List.of(
            VtepPlanTest.peer("10.42.2.0/24", "198.18.0.2", "0a:58:0a:2a:02:00", false)), VtepPlanTest.UNDERLAY);

    @Test
    void aKernelThatCannotDumpNexthopsGetsGatewayRoutesInTheSamePass() throws Exception {
        OldKernel kernel = new OldKernel(true, false);
        try (RtnlClient rtnl = RtnlClient.over(new NlSocket(kernel, new NlSocket.BatchLimits(64 * 1024, 64)), Netns.current())) {
            Vtep vtep = new Vtep(rtnl);
            SyncResult r = vtep.sync(VtepPlanTest.DEV, desired);
            assertThat(r.failures()).isEmpty();
            assertThat(r.added()).isEqualTo(3);
            assertThat(vtep.routeForm()).isEqualTo(RouteForm.GATEWAY);
            assertThat(kernel.types).doesNotContain(Rtm.RTM_NEWNEXTHOP).contains(Rtm.RTM_NEWROUTE);
            assertThat(kernel.routesWithNexthopId).isZero();
        }
    }

    @Test
    void aKernelThatRefusesToWriteANexthopGetsGatewayRoutesFromTheNextPass() throws Exception {
        OldKernel kernel = new OldKernel(false, true);
        try (RtnlClient rtnl = RtnlClient.over(new NlSocket(kernel, new NlSocket.BatchLimits(64 * 1024, 64)), Netns.current())) {
            Vtep vtep = new Vtep(rtnl);
            SyncResult first = vtep.sync(VtepPlanTest.DEV, desired);
            assertThat(first.failures()).extracting(e -> e.errno()).contains(Errno.EOPNOTSUPP);
            assertThat(vtep.routeForm()).isEqualTo(RouteForm.GATEWAY);
            kernel.types.clear();
            int before = kernel.routesWithNexthopId;
            vtep.sync(VtepPlanTest.DEV, desired);
            assertThat(kernel.types).doesNotContain(Rtm.RTM_NEWNEXTHOP).contains(Rtm.RTM_NEWROUTE);
            assertThat(kernel.routesWithNexthopId).isEqualTo(before);
        }
    }

    @Test
    void aGatewayFormVtepStaysOnIt() throws Exception {
        OldKernel kernel = new OldKernel(false, false);
        try (RtnlClient rtnl = RtnlClient.over(new NlSocket(kernel, new NlSocket.BatchLimits(64 * 1024, 64)), Netns.current())) {
            Vtep vtep = new Vtep(rtnl, RouteForm.GATEWAY);
            vtep.sync(VtepPlanTest.DEV, desired);
            assertThat(kernel.types).doesNotContain(Rtm.RTM_NEWNEXTHOP);
            assertThat(kernel.routesWithNexthopId).isZero();
        }
    }

    /** Answers every dump with nothing and every write with an ACK, except where nexthops are concerned. */
    static final class OldKernel implements Transport {
        final List<Integer> types = new ArrayList<>();
        int routesWithNexthopId;
        private final boolean noNexthopDump;
        private final boolean noNexthopWrite;
        private final Deque<byte[]> queue = new ArrayDeque<>();

        OldKernel(boolean noNexthopDump, boolean noNexthopWrite) {
            this.noNexthopDump = noNexthopDump;
            this.noNexthopWrite = noNexthopWrite;
        }

        @Override
        public void send(ByteBuffer direct, int length) {
            ByteBuffer b = direct.duplicate().order(ByteOrder.nativeOrder());
            ByteBuffer reply = ByteBuffer.allocate(64 * 1024).order(ByteOrder.nativeOrder());
            for (int p = 0; p + 16 <= length; ) {
                int len = b.getInt(p);
                int type = b.getShort(p + 4) & 0xffff;
                int flags = b.getShort(p + 6) & 0xffff;
                int seq = b.getInt(p + 8);
                types.add(type);
                if (type == Rtm.RTM_NEWROUTE && hasAttribute(b, p + 16 + Rta.RTMSG_SIZE, p + len, Rta.RTA_NH_ID)) {
                    routesWithNexthopId++;
                }
                if ((flags & Nl.NLM_F_DUMP) == Nl.NLM_F_DUMP) {
                    if (type == Rtm.RTM_GETNEXTHOP && noNexthopDump) {
                        error(reply, b, p, seq, Errno.EOPNOTSUPP);
                    } else {
                        reply.putInt(20).putShort((short) Nl.NLMSG_DONE).putShort((short) Nl.NLM_F_MULTI).putInt(seq).putInt(0)
                                .putInt(0);
                    }
                } else {
                    error(reply, b, p, seq, type == Rtm.RTM_NEWNEXTHOP && noNexthopWrite ? Errno.EOPNOTSUPP : 0);
                }
                p += Nl.align(len);
            }
            byte[] out = new byte[reply.position()];
            reply.get(0, out);
            queue.add(out);
        }

        /** NLMSG_ERROR (errno 0: an ACK) echoing the request's header only, as with NETLINK_CAP_ACK. */
        private static void error(ByteBuffer reply, ByteBuffer request, int p, int seq, int errno) {
            reply.putInt(36).putShort((short) Nl.NLMSG_ERROR).putShort((short) Nl.NLM_F_CAPPED).putInt(seq).putInt(0);
            reply.putInt(-errno);
            for (int i = 0; i < 16; i++) {
                reply.put(request.get(p + i));
            }
        }

        private static boolean hasAttribute(ByteBuffer b, int from, int end, int wanted) {
            for (int p = from; p + 4 <= end; ) {
                int len = b.getShort(p) & 0xffff;
                if ((b.getShort(p + 2) & Nl.NLA_TYPE_MASK) == wanted) {
                    return true;
                }
                p += Nl.align(Math.max(len, 4));
            }
            return false;
        }

        @Override
        public Received receive(ByteBuffer direct) {
            byte[] d = queue.poll();
            if (d == null) {
                return Received.TIMED_OUT;
            }
            direct.put(0, d);
            return new Received(d.length, false, 0);
        }

        @Override
        public void close() {
        }
    }
}
