package dev.weft.nl;

import dev.weft.ffi.Errno;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A netlink exchange that failed at the wire level: the kernel answered with an error, or the
 * socket call failed. Carries the errno and, when the kernel gave one, the extended-ack text.
 * The typed layer above wraps it, adding what the request was.
 */
public class NlException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int errno;
    private final int messageType;
    private final String extAck;
    private final int attributeOffset;

    public NlException(int errno, int messageType, String extAck, int attributeOffset, String message, Throwable cause) {
        super(message, cause);
        this.errno = errno;
        this.messageType = messageType;
        this.extAck = extAck;
        this.attributeOffset = attributeOffset;
    }

    /** A kernel error reply to a request of {@code messageType}. */
    public static NlException fromReply(ErrorReply reply) {
        String text = Rtm.name(reply.requestType()) + " failed: " + Errno.describe(reply.errno())
                + reply.extAck().map(m -> ": " + m).orElse("");
        return new NlException(reply.errno(), reply.requestType(), reply.extAck().orElse(null),
                reply.attributeOffset().orElse(-1), text, null);
    }

    /** Positive errno, e.g. 17 for EEXIST. */
    public int errno() {
        return errno;
    }

    /** The request's message type, e.g. RTM_NEWROUTE (24); 0 when not tied to one message. */
    public int messageType() {
        return messageType;
    }

    /** The kernel's extended-ack message, e.g. "Nexthop has invalid gateway". */
    public Optional<String> extAck() {
        return Optional.ofNullable(extAck);
    }

    /** Offset of the offending attribute in the request, when the kernel pointed at one. */
    public OptionalInt attributeOffset() {
        return attributeOffset < 0 ? OptionalInt.empty() : OptionalInt.of(attributeOffset);
    }
}
