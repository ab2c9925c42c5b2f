package dev.weft.masq;

import java.util.List;

/** A read-only check of the rules (for {@code weft doctor}): which parts are missing or wrong. */
public record MasqCheck(Backend backend, List<String> missing) {
    public MasqCheck {
        missing = List.copyOf(missing);
    }

    /** True when every rule and jump is in place. */
    public boolean complete() {
        return missing.isEmpty();
    }
}
