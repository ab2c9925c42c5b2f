package dev.weft.masq;

import java.util.List;

/**
 * What an ensure did: nothing ({@code repaired} empty, the usual case on a re-check), or the
 * parts it had to (re)write, e.g. {@code nat WEFT-POSTRTG chain}, {@code filter FORWARD jump}.
 */
public record EnsureResult(List<String> repaired) {
    public EnsureResult {
        repaired = List.copyOf(repaired);
    }

    /** True when anything was written. */
    public boolean changed() {
        return !repaired.isEmpty();
    }
}
