package dev.weft.nl;

import java.util.List;

/**
 * What the kernel said about a batch of requests: the failures, by position in the batch.
 * Every request not listed succeeded: the kernel handles a datagram's messages in order and
 * answers each failure, so the acknowledgement of the last one vouches for those before it.
 */
public record BatchOutcome(int size, List<Failure> failures) {
    /** Request number {@code index} (0-based) failed with {@code reply}. */
    public record Failure(int index, ErrorReply reply) {
    }

    public BatchOutcome {
        failures = List.copyOf(failures);
    }

    public boolean allSucceeded() {
        return failures.isEmpty();
    }
}
