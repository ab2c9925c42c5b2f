package dev.weft.nl;

import dev.weft.ffi.NativeException;
import dev.weft.ffi.Received;

import java.nio.ByteBuffer;

/** Datagram I/O under a netlink conversation; the real one is a socket, tests script one. */
public interface Transport extends AutoCloseable {
    /** Sends bytes {@code [0, length)} of a direct buffer as one datagram to the kernel. */
    void send(ByteBuffer direct, int length) throws NativeException;

    /** Receives one datagram into a direct buffer; {@link Received#TIMED_OUT} after the receive timeout. */
    Received receive(ByteBuffer direct) throws NativeException;

    @Override
    void close();
}
