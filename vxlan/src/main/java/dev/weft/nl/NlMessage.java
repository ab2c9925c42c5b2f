package dev.weft.nl;

import java.nio.ByteBuffer;

/**
 * One netlink message inside a receive buffer: its header fields and where its payload lies.
 * A view, valid only until the buffer is reused; decoders copy what they keep.
 */
public record NlMessage(ByteBuffer buffer, int offset, int length, int type, int flags, int seq, int pid) {
    public int payloadOffset() {
        return offset + Nl.NLMSG_HDRLEN;
    }

    public int payloadLength() {
        return length - Nl.NLMSG_HDRLEN;
    }

    public int end() {
        return offset + length;
    }

    public boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }

    /** Fails unless the payload holds at least the fixed struct that starts it. */
    public void requirePayload(int size, String struct) throws NlDecodeException {
        if (payloadLength() < size) {
            throw new NlDecodeException(Rtm.name(type) + " of " + length + " bytes is too short for " + struct
                    + " (" + size + " bytes)");
        }
    }

    /** Parses the attributes that follow a fixed struct of {@code structSize} bytes. */
    public Attributes attributes(int structSize, int maxType) throws NlDecodeException {
        requirePayload(structSize, "its fixed header");
        return Attributes.parse(buffer, payloadOffset() + Nl.align(structSize), end(), maxType);
    }
}
