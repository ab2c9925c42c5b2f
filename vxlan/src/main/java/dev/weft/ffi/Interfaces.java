package dev.weft.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.OptionalInt;

/** Interface name lookups through libc. */
public final class Interfaces {
    private Interfaces() {
    }

    /**
     * {@code if_nametoindex(name)}, resolved in the <em>calling thread's</em> namespace (libc
     * opens a socket for it). Code that works on another namespace asks its netlink client.
     */
    public static OptionalInt nameToIndex(String name) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = Libc.captureSegment(arena);
            int index = (int) Libc.IF_NAMETOINDEX.invokeExact(cap, arena.allocateFrom(name));
            if (index > 0) {
                return OptionalInt.of(index);
            }
            int errno = Libc.errno(cap);
            if (errno == Errno.ENODEV || errno == Errno.ENOENT || errno == 0) {
                return OptionalInt.empty();
            }
            throw new NativeException("if_nametoindex", errno, name);
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
