package dev.weft.lease.kube;

import dev.weft.lease.NodeLease;
import java.util.Objects;

/** The outcome of one {@link SubnetLeaser#tryAcquire()}: a lease, or a typed failure with a one-line explanation. */
public sealed interface LeaseAttempt {

  /** The node owns {@code lease}. */
  record Acquired(NodeLease lease) implements LeaseAttempt {
    public Acquired {
      Objects.requireNonNull(lease, "lease");
    }
  }

  /**
   * No subnet this time.
   *
   * @param kind what went wrong, for state tracking, {@code /readyz} and Events
   * @param message one line for the log that says what and, where known, how to fix it
   */
  record Failed(LeaseFailure kind, String message) implements LeaseAttempt {
    public Failed {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(message, "message");
    }
  }
}
