package dev.weft.ffi;

import java.io.IOException;

/**
 * A libc call that failed, with the errno captured right after that very call. The message
 * reads like Netty's native errors: {@code sendto(..) failed: ENOBUFS (No buffer space available)}.
 */
public final class NativeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    public NativeException(String call, int errno) {
        this(call, errno, null);
    }

    public NativeException(String call, int errno, String detail) {
        super(call + "(..) failed: " + Errno.describe(errno) + (detail == null ? "" : ": " + detail));
        this.call = call;
        this.errno = errno;
    }

    /** The libc function that failed, e.g. {@code setns}. */
    public String call() {
        return call;
    }

    /** The errno value the call left behind. */
    public int errno() {
        return errno;
    }
}
