package dev.weft.metrics;

import java.util.Locale;

/**
 * The node's lease as {@code weft_lease_state{state=...}} reports it: exactly one state is 1.
 * The failure states are the ones DESIGN.md retries with backoff.
 */
public enum LeaseState {
    /** Looking for or taking the lease. */
    ACQUIRING,
    /** The node holds its subnet. */
    ACQUIRED,
    /** No free subnet is left in Network. */
    POOL_EXHAUSTED,
    /** The Kubernetes API cannot be reached. */
    API_UNREACHABLE,
    /** {@code spec.podCIDR} lies outside Network. */
    INVALID_POD_CIDR;

    /** The label value: lower-case, underscores. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
