package dev.weft.netns;

/** Entering a network namespace failed: missing file, not a network namespace, no privilege. */
public final class NetnsException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int errno;

    public NetnsException(String message, int errno, Throwable cause) {
        super(message, cause);
        this.errno = errno;
    }

    /** The errno of the failed call, 0 when the failure was not a system call's. */
    public int errno() {
        return errno;
    }
}
