package dev.weft.rtnl;

import dev.weft.ffi.Errno;
import dev.weft.nl.NlException;
import dev.weft.nl.Rtm;

import java.util.Optional;

/**
 * A netlink operation that failed. Carries the errno (number and name), the request's message
 * type, a one-line summary of the request in {@code ip}/{@code bridge} terms, and the kernel's
 * extended-ack text when it gave one. Test the predicates, never the message.
 */
public class NetlinkException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int errno;
    private final int messageType;
    private final String request;
    private final String extAck;

    public NetlinkException(int errno, int messageType, String request, String extAck, Throwable cause) {
        super(format(errno, messageType, request, extAck), cause);
        this.errno = errno;
        this.messageType = messageType;
        this.request = request;
        this.extAck = extAck;
    }

    /** Wraps a wire-level failure, adding what was asked. */
    static NetlinkException of(NlException e, String request) {
        if (e instanceof dev.weft.nl.NlDecodeException) {
            return new NetlinkDecodeException(request, e);
        }
        return new NetlinkException(e.errno(), e.messageType(), request, e.extAck().orElse(null), e);
    }

    private static String format(int errno, int type, String request, String extAck) {
        return request + ": " + Errno.describe(errno) + (extAck == null ? "" : ": " + extAck)
                + (type == 0 ? "" : " [" + Rtm.name(type) + "]");
    }

    /** Positive errno, e.g. 17. */
    public int errno() {
        return errno;
    }

    /** Symbolic errno, e.g. {@code EEXIST}. */
    public String errnoName() {
        return Errno.name(errno);
    }

    /** The netlink message type of the request (e.g. 24 for RTM_NEWROUTE); 0 when not tied to one. */
    public int messageType() {
        return messageType;
    }

    /** The kernel's name for {@link #messageType()}, e.g. {@code RTM_NEWROUTE}. */
    public String messageTypeName() {
        return Rtm.name(messageType);
    }

    /** One line saying what was asked, e.g. {@code route replace 10.42.2.0/24 via 10.42.2.0 dev #4 onlink proto 87}. */
    public String request() {
        return request;
    }

    /** The kernel's extended-ack message, e.g. {@code Nexthop has invalid gateway}. */
    public Optional<String> extAck() {
        return Optional.ofNullable(extAck);
    }

    /** The object does not exist: no such device, route, neighbour, FDB entry or address. */
    public boolean isNotFound() {
        return errno == Errno.ENODEV || errno == Errno.ENOENT || errno == Errno.ESRCH || errno == Errno.EADDRNOTAVAIL;
    }

    /** The object exists already (an add, not a replace). */
    public boolean isExists() {
        return errno == Errno.EEXIST;
    }

    /** The caller lacks CAP_NET_ADMIN in the namespace. */
    public boolean isPermissionDenied() {
        return errno == Errno.EPERM || errno == Errno.EACCES;
    }

    /** No route to the destination. */
    public boolean isUnreachable() {
        return errno == Errno.ENETUNREACH || errno == Errno.EHOSTUNREACH;
    }

    /**
     * The kernel does not know the operation (EOPNOTSUPP, or the kernel-internal ENOTSUPP some
     * handlers leak), e.g. nexthop objects before Linux 5.3.
     */
    public boolean isNotSupported() {
        return errno == Errno.EOPNOTSUPP || errno == Errno.ENOTSUPP;
    }

    /** The kernel answered something weft could not parse. */
    public boolean isMalformedReply() {
        return errno == Errno.EBADMSG;
    }
}
