package dev.weft.nl;

import dev.weft.ffi.Errno;
import dev.weft.ffi.NativeException;
import dev.weft.ffi.NetlinkFd;
import dev.weft.ffi.Received;

import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * Opens real netlink sockets, configured the way weft talks to the kernel:
 * <ul>
 * <li>extended ACK on, so errors come with the kernel's own explanation;</li>
 * <li>capped ACKs, so an error does not echo the whole request back;</li>
 * <li>strict checking on, so a malformed dump filter is an error rather than silently ignored;</li>
 * <li>large socket buffers (forced when privileged), so big batches and dumps and bursts of
 *     notifications fit, with the batch size derived from what the kernel actually granted.</li>
 * </ul>
 * The socket joins the network namespace of the calling thread.
 */
public final class NlSockets {
    private static final int WANT_RCVBUF = 4 * 1024 * 1024;
    private static final int WANT_SNDBUF = 1024 * 1024;
    private static final int MAX_BATCH_BYTES = 128 * 1024;
    private static final int MAX_BATCH_MESSAGES = 1024;
    /** Generous socket-buffer cost of one error reply (an skb's overhead dominates its few bytes). */
    private static final int ERROR_REPLY_COST = 2048;

    private NlSockets() {
    }

    /** A rtnetlink socket for requests (no multicast groups), every receive bounded by {@code timeout}. */
    public static NlSocket open(Duration timeout) throws NlException {
        return open(0, timeout);
    }

    /** A rtnetlink socket subscribed to the {@code groups} bitmask (for notifications). */
    public static NlSocket open(int groups, Duration timeout) throws NlException {
        NetlinkFd fd = null;
        try {
            fd = NetlinkFd.open(Nl.NETLINK_ROUTE);
            fd.setOption(Nl.SOL_NETLINK, Nl.NETLINK_EXT_ACK, 1);
            fd.setOption(Nl.SOL_NETLINK, Nl.NETLINK_CAP_ACK, 1);
            optional(fd, Nl.SOL_NETLINK, Nl.NETLINK_GET_STRICT_CHK, 1);
            int rcvbuf = grow(fd, Nl.SO_RCVBUFFORCE, Nl.SO_RCVBUF, WANT_RCVBUF);
            int sndbuf = grow(fd, Nl.SO_SNDBUFFORCE, Nl.SO_SNDBUF, WANT_SNDBUF);
            fd.bind(groups);
            fd.setReceiveTimeout(timeout);
            // The kernel refuses a datagram bigger than the send buffer minus a little overhead.
            int bytes = Math.min(MAX_BATCH_BYTES, sndbuf / 2);
            int messages = Math.clamp(rcvbuf / ERROR_REPLY_COST, 1, MAX_BATCH_MESSAGES);
            return new NlSocket(new FdTransport(fd), new NlSocket.BatchLimits(bytes, messages));
        } catch (NativeException e) {
            if (fd != null) {
                fd.close();
            }
            throw new NlException(e.errno(), 0, null, -1, "opening a netlink socket: " + e.getMessage(), e);
        }
    }

    /** Sets a buffer size, privileged variant first; returns the size the kernel reports. */
    private static int grow(NetlinkFd fd, int forced, int plain, int bytes) throws NativeException {
        try {
            fd.setOption(Nl.SOL_SOCKET, forced, bytes);
        } catch (NativeException e) {
            if (e.errno() != Errno.EPERM) {
                throw e;
            }
            fd.setOption(Nl.SOL_SOCKET, plain, bytes); // capped by net.core.[rw]mem_max
        }
        return fd.option(Nl.SOL_SOCKET, plain);
    }

    /** Options that older kernels lack are features, not requirements. */
    private static void optional(NetlinkFd fd, int level, int name, int value) throws NativeException {
        try {
            fd.setOption(level, name, value);
        } catch (NativeException e) {
            if (e.errno() != Errno.ENOPROTOOPT) { // a kernel older than the option
                throw e;
            }
        }
    }

    /** The real transport: a netlink socket descriptor. */
    public static final class FdTransport implements Transport {
        private final NetlinkFd fd;

        FdTransport(NetlinkFd fd) {
            this.fd = fd;
        }

        public NetlinkFd fd() {
            return fd;
        }

        @Override
        public void send(ByteBuffer direct, int length) throws NativeException {
            fd.send(direct, length);
        }

        @Override
        public Received receive(ByteBuffer direct) throws NativeException {
            return fd.receive(direct);
        }

        @Override
        public void close() {
            fd.close();
        }
    }
}
