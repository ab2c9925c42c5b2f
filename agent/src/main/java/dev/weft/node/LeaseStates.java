package dev.weft.node;

import dev.weft.lease.kube.LeaseFailure;
import dev.weft.metrics.LeaseState;

/** Maps subnet-lease's failure kinds onto the agent's lease-state metric. */
final class LeaseStates {
    private LeaseStates() {
    }

    static LeaseState of(LeaseFailure kind) {
        return switch (kind) {
            case POOL_EXHAUSTED -> LeaseState.POOL_EXHAUSTED;
            case API_UNREACHABLE -> LeaseState.API_UNREACHABLE;
            case PODCIDR_OUTSIDE_NETWORK -> LeaseState.INVALID_POD_CIDR;
            default -> LeaseState.ACQUIRING;
        };
    }
}
