package dev.weft.rtnl;

import java.util.List;

/**
 * The outcome of {@link RtnlClient#batch}: which requests failed and why. Every request not
 * listed in {@link #failures()} succeeded.
 */
public record BatchResult(int size, List<Failure> failures) {
    /** Request {@code index} (0-based, in the order given) failed. */
    public record Failure(int index, RtnlRequest request, NetlinkException error) {
    }

    public BatchResult {
        failures = List.copyOf(failures);
    }

    public boolean allSucceeded() {
        return failures.isEmpty();
    }

    /** Throws the first failure, the others attached as suppressed, if any failed. */
    public void throwIfFailed() throws NetlinkException {
        if (failures.isEmpty()) {
            return;
        }
        NetlinkException first = failures.getFirst().error();
        if (first.getSuppressed().length == 0) { // only once, however often this is called
            for (Failure f : failures.subList(1, failures.size())) {
                first.addSuppressed(f.error());
            }
        }
        throw first;
    }
}
