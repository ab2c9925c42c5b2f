package dev.weft.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An open namespace file ({@code /var/run/netns/X}, {@code /proc/<pid>/ns/net}, any nsfs
 * bind mount). {@link #enterNetwork()} moves only the calling thread, which is why callers do it
 * on a dedicated platform thread: a JVM carrier or pool thread must never change namespace.
 */
public final class NamespaceFd implements AutoCloseable {
    private final int fd;
    private final Path path;
    private final AtomicBoolean closed = new AtomicBoolean();

    private NamespaceFd(int fd, Path path) {
        this.fd = fd;
        this.path = path;
    }

    /** {@code open(path, O_RDONLY | O_CLOEXEC)}. */
    public static NamespaceFd open(Path path) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = Libc.captureSegment(arena);
            MemorySegment cpath = arena.allocateFrom(path.toString());
            int fd = (int) Libc.OPEN.invokeExact(cap, cpath, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
            if (fd < 0) {
                throw new NativeException("open", Libc.errno(cap), path.toString());
            }
            return new NamespaceFd(fd, path);
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** {@code setns(fd, CLONE_NEWNET)}: the calling thread now lives in this network namespace. */
    public void enterNetwork() throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = Libc.captureSegment(arena);
            int rc = (int) Libc.SETNS.invokeExact(cap, fd, Libc.CLONE_NEWNET);
            if (rc < 0) {
                throw new NativeException("setns", Libc.errno(cap), path.toString());
            }
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try (Arena arena = Arena.ofConfined()) {
                int rc = (int) Libc.CLOSE.invokeExact(Libc.captureSegment(arena), fd);
                assert rc == 0 || rc == -1; // the descriptor is released either way
            } catch (Throwable t) {
                throw Libc.rethrow(t);
            }
        }
    }
}
