package dev.weft.ffi;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A netlink socket file descriptor. The socket belongs to the network namespace of the thread
 * that created it, for its whole life, whichever thread uses it later. Not thread-safe: one
 * thread uses it at a time, and it is closed by that thread or once that thread stopped, so the
 * descriptor number cannot be reused under a call still in flight.
 */
public final class NetlinkFd implements AutoCloseable {
    private static final int MAX_EINTR_RETRIES = 100;

    private final int fd;
    private final AtomicBoolean closed = new AtomicBoolean();

    private NetlinkFd(int fd) {
        this.fd = fd;
    }

    /** {@code socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol)} in the calling thread's namespace. */
    public static NetlinkFd open(int protocol) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = Libc.captureSegment(arena);
            int fd = (int) Libc.SOCKET.invokeExact(cap, Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, protocol);
            if (fd < 0) {
                throw new NativeException("socket", Libc.errno(cap));
            }
            return new NetlinkFd(fd);
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Binds with a kernel-assigned port id, subscribed to the multicast {@code groups} bitmask. */
    public void bind(int groups) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = Libc.captureSegment(arena);
            MemorySegment addr = sockaddr(arena, groups);
            int rc = (int) Libc.BIND.invokeExact(cap, fd, addr, Libc.SOCKADDR_NL_SIZE);
            check("bind", rc, cap);
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** The port id the kernel assigned at bind time (the {@code nlmsg_pid} of its replies). */
    public int portId() throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = Libc.captureSegment(arena);
            MemorySegment addr = arena.allocate(Libc.SOCKADDR_NL_SIZE, 4);
            MemorySegment len = arena.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, Libc.SOCKADDR_NL_SIZE);
            int rc = (int) Libc.GETSOCKNAME.invokeExact(cap, fd, addr, len);
            check("getsockname", rc, cap);
            return addr.get(JAVA_INT, 4);
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** {@code setsockopt(fd, level, name, &value, 4)}. */
    public void setOption(int level, int name, int value) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = Libc.captureSegment(arena);
            MemorySegment v = arena.allocate(JAVA_INT);
            v.set(JAVA_INT, 0, value);
            int rc = (int) Libc.SETSOCKOPT.invokeExact(cap, fd, level, name, v, 4);
            check("setsockopt", rc, cap);
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** {@code getsockopt(fd, level, name)} for an int-valued option. */
    public int option(int level, int name) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = Libc.captureSegment(arena);
            MemorySegment v = arena.allocate(JAVA_INT);
            MemorySegment len = arena.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, 4);
            int rc = (int) Libc.GETSOCKOPT.invokeExact(cap, fd, level, name, v, len);
            check("getsockopt", rc, cap);
            return v.get(JAVA_INT, 0);
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Bounds every blocking receive; a receive that waits longer reports {@link Received#timedOut()}. */
    public void setReceiveTimeout(Duration timeout) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = Libc.captureSegment(arena);
            MemorySegment tv = arena.allocate(16, 8); // struct timeval { long tv_sec; long tv_usec; }
            tv.set(JAVA_LONG, 0, timeout.toSeconds());
            tv.set(JAVA_LONG, 8, timeout.toMillisPart() * 1000L);
            int rc = (int) Libc.SETSOCKOPT.invokeExact(cap, fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, tv, 16);
            check("setsockopt", rc, cap);
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Sends bytes {@code [0, length)} of a direct buffer to the kernel as one datagram. */
    public void send(ByteBuffer direct, int length) throws NativeException {
        MemorySegment data = segment(direct, length);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = Libc.captureSegment(arena);
            MemorySegment addr = sockaddr(arena, 0);
            for (int attempt = 0; ; attempt++) {
                long n = (long) Libc.SENDTO.invokeExact(cap, fd, data, (long) length, 0, addr, Libc.SOCKADDR_NL_SIZE);
                if (n == length) {
                    return;
                }
                int errno = n < 0 ? Libc.errno(cap) : Errno.EMSGSIZE;
                if (errno != Errno.EINTR || attempt >= MAX_EINTR_RETRIES) {
                    throw new NativeException("sendto", errno, n < 0 ? null : "sent " + n + " of " + length + " bytes");
                }
            }
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * Receives one datagram into a direct buffer. The reported length is the datagram's real
     * length ({@code MSG_TRUNC}), so a datagram larger than the buffer shows as truncated
     * instead of silently losing its tail.
     */
    public Received receive(ByteBuffer direct) throws NativeException {
        MemorySegment data = segment(direct, direct.capacity());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = Libc.captureSegment(arena);
            MemorySegment addr = arena.allocate(Libc.SOCKADDR_NL_SIZE, 4);
            MemorySegment len = arena.allocate(JAVA_INT);
            for (int attempt = 0; ; attempt++) {
                len.set(JAVA_INT, 0, Libc.SOCKADDR_NL_SIZE);
                long n = (long) Libc.RECVFROM.invokeExact(cap, fd, data, data.byteSize(), Libc.MSG_TRUNC, addr, len);
                if (n >= 0) {
                    return new Received((int) Math.min(n, Integer.MAX_VALUE), n > data.byteSize(), addr.get(JAVA_INT, 4));
                }
                int errno = Libc.errno(cap);
                if (errno == Errno.EAGAIN) {
                    return Received.TIMED_OUT;
                }
                if (errno != Errno.EINTR || attempt >= MAX_EINTR_RETRIES) {
                    throw new NativeException("recvfrom", errno);
                }
            }
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * {@code ioctl(fd, SIOCETHTOOL, ifreq{name, &ethtool_value{cmd, value}})} on the device
     * named {@code ifName} in this socket's namespace. Returns the value the kernel left in the
     * struct, which is how the ethtool "get" commands answer.
     */
    public int ethtool(String ifName, int cmd, int value) throws NativeException {
        byte[] name = ifName.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        if (name.length >= Libc.IFNAMSIZ || name.length == 0) {
            throw new IllegalArgumentException("interface name must be 1-15 ASCII characters: '" + ifName + "'");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = Libc.captureSegment(arena);
            MemorySegment ev = arena.allocate(8, 8); // struct ethtool_value { u32 cmd; u32 data; }
            ev.set(JAVA_INT, 0, cmd);
            ev.set(JAVA_INT, 4, value);
            MemorySegment ifr = arena.allocate(Libc.IFREQ_SIZE, 8);
            MemorySegment.copy(MemorySegment.ofArray(name), 0, ifr, 0, name.length);
            ifr.set(java.lang.foreign.ValueLayout.ADDRESS, Libc.IFNAMSIZ, ev);
            int rc = (int) Libc.IOCTL.invokeExact(cap, fd, Libc.SIOCETHTOOL, ifr);
            check("ioctl(SIOCETHTOOL)", rc, cap);
            return ev.get(JAVA_INT, 4);
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    public boolean isOpen() {
        return !closed.get();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try (Arena arena = Arena.ofConfined()) {
                int rc = (int) Libc.CLOSE.invokeExact(Libc.captureSegment(arena), fd);
                // close(2) errors leave nothing to retry: the descriptor is released either way.
                assert rc == 0 || rc == -1;
            } catch (Throwable t) {
                throw Libc.rethrow(t);
            }
        }
    }

    private static MemorySegment sockaddr(Arena arena, int groups) {
        MemorySegment addr = arena.allocate(Libc.SOCKADDR_NL_SIZE, 4);
        addr.set(JAVA_SHORT, 0, (short) Libc.AF_NETLINK);
        addr.set(JAVA_INT, 4, 0); // pid 0: the kernel, or "assign one" at bind
        addr.set(JAVA_INT, 8, groups);
        return addr;
    }

    private MemorySegment segment(ByteBuffer direct, int length) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("netlink I/O needs a direct buffer");
        }
        if (closed.get()) {
            throw new IllegalStateException("netlink socket is closed");
        }
        if (length < 0 || length > direct.capacity()) {
            throw new IllegalArgumentException("length " + length + " outside buffer of " + direct.capacity());
        }
        return MemorySegment.ofBuffer(direct.duplicate().clear()).asSlice(0, length);
    }

    private static void check(String call, int rc, MemorySegment cap) throws NativeException {
        if (rc < 0) {
            throw new NativeException(call, Libc.errno(cap));
        }
    }
}
