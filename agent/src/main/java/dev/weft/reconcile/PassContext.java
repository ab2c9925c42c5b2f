package dev.weft.reconcile;

import java.util.Set;

/**
 * Why a pass runs. Triggers are coalesced: however many arrived while the previous pass ran,
 * the next pass runs once and sees their distinct reasons (at most {@link ReconcileLoop#MAX_REASONS})
 * and how many there were. The loop adds {@link #START}, {@link #REQUEUE} and {@link #RESYNC}.
 *
 * @param pass      1 for the first pass, counting up
 * @param reasons   distinct trigger reasons, in arrival order
 * @param triggers  how many triggers were coalesced into this pass (0 for a pure timer pass)
 */
public record PassContext(long pass, Set<String> reasons, long triggers) {
    public static final String START = "start";
    public static final String REQUEUE = "requeue";
    public static final String RESYNC = "resync";

    public PassContext {
        reasons = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(reasons));
    }

    /** True when the periodic resync timer caused (or joined) this pass. */
    public boolean resync() {
        return reasons.contains(RESYNC);
    }
}
