package dev.weft.masq;

/** One way of holding weft's masquerade and forward rules. */
interface MasqBackend {
    Backend backend();

    /** Checks the rules and writes, in one transaction per IP family, only what is missing or wrong. */
    EnsureResult ensure(MasqSpec spec) throws MasqueradeException;

    /** Read-only: what {@link #ensure} would repair. */
    MasqCheck check(MasqSpec spec) throws MasqueradeException;

    /** Removes every weft chain, rule and jump of this backend; returns what it removed. */
    EnsureResult remove() throws MasqueradeException;
}
