package dev.weft.vtep;

/** What {@link Vtep#ensure} had to do. */
public enum EnsureOutcome {
    /** No device of that name existed; one was created. */
    CREATED,
    /** A compatible device existed and was kept (never recreated, so no traffic flap). */
    ADOPTED,
    /** An incompatible device existed; it was deleted and created anew (the difference was logged). */
    REPLACED,
    /** Returned by {@link Vtep#find}: the device exists; nothing was changed. */
    FOUND
}
