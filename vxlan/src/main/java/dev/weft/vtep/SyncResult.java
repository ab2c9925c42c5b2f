package dev.weft.vtep;

import dev.weft.rtnl.NetlinkException;

import java.time.Duration;
import java.util.List;

/**
 * What {@link Vtep#sync} did. Counts are of kernel entries; an entry whose content was wrong and
 * was rewritten counts as {@code updated}.
 *
 * @param added      entries that were missing and were written
 * @param removed    owned entries no longer wanted, deleted (including ones someone else deleted first)
 * @param unchanged  entries already right
 * @param updated    entries present with the wrong content, rewritten
 * @param neighbours per-kind counts for neighbours
 * @param fdb        per-kind counts for FDB entries
 * @param routes     per-kind counts for routes
 * @param nexthops   per-kind counts for nexthop objects ({@link RouteForm#NEXTHOP}; zero otherwise)
 * @param failures   writes the kernel refused (each names its request); the rest were applied
 * @param elapsed    wall time of the sync, dumps included
 */
public record SyncResult(int added, int removed, int unchanged, int updated, KindCounts neighbours, KindCounts fdb,
                         KindCounts routes, KindCounts nexthops, List<NetlinkException> failures, Duration elapsed) {
    /** Counts for one kind of entry. */
    public record KindCounts(int added, int removed, int unchanged, int updated) {
        public static final KindCounts ZERO = new KindCounts(0, 0, 0, 0);

        KindCounts plus(KindCounts o) {
            return new KindCounts(added + o.added, removed + o.removed, unchanged + o.unchanged, updated + o.updated);
        }
    }

    public SyncResult {
        failures = List.copyOf(failures);
    }

    /** Entries written or deleted. */
    public int writes() {
        return added + removed + updated;
    }

    public boolean isNoop() {
        return writes() == 0 && failures.isEmpty();
    }
}
