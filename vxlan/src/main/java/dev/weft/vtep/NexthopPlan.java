package dev.weft.vtep;

import dev.weft.rtnl.Nexthop;
import dev.weft.rtnl.Route;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Picks the nexthop id for each wanted route, so that a sync keeps what is there and never takes
 * an id someone else holds. In order of preference:
 * <ol>
 * <li>the id weft's route to that destination already uses (kept, and repaired in place if its
 *     gateway drifted): a steady state writes nothing;</li>
 * <li>a nexthop weft owns that no route uses and that already has the wanted gateway and device
 *     (left behind when someone deleted just the route);</li>
 * <li>the destination's preferred id ({@link NexthopIds}), or the next free one after it: free means
 *     no nexthop has it, or one weft owns that no route uses; a nexthop of another protocol is
 *     never touched.</li>
 * </ol>
 */
final class NexthopPlan {
    private record Hop(Optional<InetAddress> gateway, OptionalInt device, boolean onlink) {
        static Hop of(Route r) {
            return new Hop(r.gateway(), r.device(), r.onlink());
        }

        static Hop of(Nexthop n) {
            return new Hop(n.gateway(), n.device(), n.onlink());
        }
    }

    private final int[] ids;

    private NexthopPlan(int[] ids) {
        this.ids = ids;
    }

    /**
     * @param wanted   the routes in gateway form, in plan order
     * @param have     weft's routes the kernel holds in the sync's scope
     * @param nexthops every nexthop in the namespace
     * @param owned    the nexthops this sync may rewrite or remove (weft's protocol, its devices and families)
     */
    static NexthopPlan assign(List<Route> wanted, List<Route> have, List<Nexthop> nexthops, Predicate<Nexthop> owned) {
        Map<Integer, Nexthop> byId = new HashMap<>();
        nexthops.forEach(n -> byId.put(n.id(), n));
        Set<Integer> referenced = new HashSet<>();
        Map<Object, Integer> inUse = new HashMap<>();
        for (Route r : have) {
            if (r.nexthopId().isEmpty()) {
                continue;
            }
            int id = r.nexthopId().getAsInt();
            referenced.add(id);
            Nexthop n = byId.get(id);
            if (n != null && owned.test(n)) {
                inUse.putIfAbsent(VtepDiff.key(r), id);
            }
        }
        int[] ids = new int[wanted.size()];
        Set<Integer> claimed = new HashSet<>();
        for (int i = 0; i < ids.length; i++) {
            Integer id = inUse.get(VtepDiff.key(wanted.get(i)));
            if (id != null && claimed.add(id)) {
                ids[i] = id;
            }
        }
        Map<Hop, Deque<Integer>> spare = new HashMap<>();
        for (Nexthop n : nexthops) {
            if (owned.test(n) && n.isGatewayHop() && !referenced.contains(n.id()) && !claimed.contains(n.id())) {
                spare.computeIfAbsent(Hop.of(n), h -> new ArrayDeque<>()).add(n.id());
            }
        }
        for (int i = 0; i < ids.length; i++) {
            Deque<Integer> q = ids[i] == 0 ? spare.get(Hop.of(wanted.get(i))) : null;
            while (q != null && !q.isEmpty() && ids[i] == 0) {
                int id = q.poll();
                if (claimed.add(id)) {
                    ids[i] = id;
                }
            }
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == 0) {
                ids[i] = free(NexthopIds.preferred(wanted.get(i).destination()), byId, referenced, claimed, owned);
                claimed.add(ids[i]);
            }
        }
        return new NexthopPlan(ids);
    }

    private static int free(int preferred, Map<Integer, Nexthop> byId, Set<Integer> referenced, Set<Integer> claimed,
                            Predicate<Nexthop> owned) {
        int id = preferred;
        for (int tries = 0; tries < NexthopIds.BLOCK_SIZE; tries++) {
            Nexthop n = byId.get(id);
            if (!claimed.contains(id) && (n == null || owned.test(n) && !referenced.contains(id))) {
                return id;
            }
            id = NexthopIds.next(id);
        }
        throw new IllegalStateException("no free nexthop id left in the block of " + Integer.toHexString(preferred));
    }

    /** The id for the {@code i}-th wanted route. */
    int id(int i) {
        return ids[i];
    }
}
