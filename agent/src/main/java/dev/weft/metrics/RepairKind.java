package dev.weft.metrics;

import java.util.Locale;

/** What {@code weft_repairs_total{kind}} counts: the kind of managed state that had drifted. */
public enum RepairKind {
    DEVICE, ROUTE, NEXTHOP, NEIGHBOUR, FDB, MASQUERADE, SUBNET_ENV;

    /** The label value: lower-case, underscores. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
