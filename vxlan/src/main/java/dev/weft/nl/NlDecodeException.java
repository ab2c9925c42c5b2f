package dev.weft.nl;

import dev.weft.ffi.Errno;

/**
 * A reply that does not parse: truncated, lengths pointing outside the buffer, an attribute of
 * the wrong size. Raised instead of any index error, so garbage from the wire is an ordinary,
 * catchable netlink failure ({@code EBADMSG}).
 */
public final class NlDecodeException extends NlException {
    private static final long serialVersionUID = 1L;

    public NlDecodeException(String message) {
        super(Errno.EBADMSG, 0, null, -1, "malformed netlink data: " + message, null);
    }
}
