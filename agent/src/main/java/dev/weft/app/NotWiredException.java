package dev.weft.app;

/**
 * A command needs a part of weft that this build does not connect (the data plane from vxlan/
 * or the API side from subnet-lease/). Reported as an error, exit 1; never papered over.
 */
public final class NotWiredException extends RuntimeException {
    public NotWiredException(String what) {
        super(what + " is not wired into this build of weft");
    }
}
