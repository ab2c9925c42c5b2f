package dev.weft.ffi;

/**
 * What one {@code recvfrom} on a netlink socket returned.
 *
 * @param length     the datagram's full length (may exceed the buffer when {@code truncated})
 * @param truncated  the datagram did not fit into the buffer
 * @param senderPort the sender's netlink port id; 0 is the kernel
 */
public record Received(int length, boolean truncated, int senderPort) {
    /** The receive timeout expired with nothing to read. */
    public static final Received TIMED_OUT = new Received(-1, false, -1);

    public boolean timedOut() {
        return length < 0;
    }

    public boolean fromKernel() {
        return senderPort == 0;
    }
}
