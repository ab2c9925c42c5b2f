package dev.weft.vtep;

import java.util.List;

/**
 * The read-only difference between what the kernel holds and what is wanted ({@code weft status}).
 *
 * @param drifts every difference
 * @param inSync number of wanted entries that are present and right
 */
public record DriftReport(List<Drift> drifts, int inSync) {
    /** Kind of kernel entry. */
    public enum Kind { NEIGHBOUR, FDB, ROUTE, NEXTHOP }

    /** How an entry differs. */
    public enum Change {
        /** wanted, absent */
        MISSING,
        /** present with the wrong content */
        WRONG,
        /** owned by weft, present, not wanted */
        UNEXPECTED
    }

    /** One difference; {@code entry} is the entry in {@code ip}/{@code bridge} terms. */
    public record Drift(Kind kind, Change change, String entry) {
    }

    public DriftReport {
        drifts = List.copyOf(drifts);
    }

    public boolean isClean() {
        return drifts.isEmpty();
    }
}
