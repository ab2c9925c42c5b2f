package dev.weft.nl;

import java.nio.ByteBuffer;

/**
 * Walks the messages of one received datagram, checking every length against the bytes that
 * were actually received before anything is read.
 */
public final class MessageCursor {
    private final ByteBuffer buffer;
    private final int end;
    private int position;

    /** Messages in bytes {@code [0, length)} of {@code buffer}. */
    public MessageCursor(ByteBuffer buffer, int length) {
        if (length < 0 || length > buffer.capacity()) {
            throw new IllegalArgumentException("length " + length + " outside buffer of " + buffer.capacity());
        }
        this.buffer = buffer;
        this.end = length;
    }

    public boolean hasNext() {
        return position < end;
    }

    public NlMessage next() throws NlDecodeException {
        int remaining = end - position;
        if (remaining < Nl.NLMSG_HDRLEN) {
            throw new NlDecodeException(remaining + " trailing bytes cannot hold a message header");
        }
        int len = buffer.getInt(position);
        if (len < Nl.NLMSG_HDRLEN || len > remaining) {
            throw new NlDecodeException("message length " + Integer.toUnsignedString(len) + " at offset " + position
                    + " does not fit the " + remaining + " bytes left");
        }
        NlMessage m = new NlMessage(buffer, position, len, buffer.getShort(position + 4) & 0xffff,
                buffer.getShort(position + 6) & 0xffff, buffer.getInt(position + 8), buffer.getInt(position + 12));
        position = Math.min(end, position + Nl.align(len));
        return m;
    }
}
