package dev.weft.rtnl;

import dev.weft.ffi.Errno;
import dev.weft.nl.NlException;

/** A reply that could not be decoded (truncated, inconsistent lengths, wrong attribute sizes): EBADMSG. */
public final class NetlinkDecodeException extends NetlinkException {
    private static final long serialVersionUID = 1L;

    NetlinkDecodeException(String request, NlException cause) {
        super(Errno.EBADMSG, 0, request + " (" + cause.getMessage() + ")", null, cause);
    }
}
