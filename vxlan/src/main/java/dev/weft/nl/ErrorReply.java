package dev.weft.nl;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * The content of an NLMSG_ERROR: {@code errno == 0} is a plain ACK.
 *
 * @param errno           positive errno, 0 for success
 * @param requestType     the echoed request header's type
 * @param requestSeq      the echoed request header's sequence number
 * @param extAck          NLMSGERR_ATTR_MSG, when present
 * @param attributeOffset NLMSGERR_ATTR_OFFS, when present
 */
public record ErrorReply(int errno, int requestType, int requestSeq, Optional<String> extAck,
                         OptionalInt attributeOffset) {
    public boolean isAck() {
        return errno == 0;
    }

    /** Decodes an NLMSG_ERROR message: {@code int error; struct nlmsghdr msg; [payload]; [TLVs]}. */
    public static ErrorReply decode(NlMessage m) throws NlDecodeException {
        int p = m.payloadOffset();
        if (m.payloadLength() < 4 + Nl.NLMSG_HDRLEN) {
            throw new NlDecodeException("NLMSG_ERROR of " + m.length() + " bytes is shorter than its fixed part");
        }
        int error = m.buffer().getInt(p);
        int echoedLen = m.buffer().getInt(p + 4);
        int echoedType = m.buffer().getShort(p + 8) & 0xffff;
        int echoedSeq = m.buffer().getInt(p + 12);
        if (error > 0 || error == Integer.MIN_VALUE) {
            throw new NlDecodeException("NLMSG_ERROR carries a non-negative error " + error);
        }
        Optional<String> text = Optional.empty();
        OptionalInt offset = OptionalInt.empty();
        if ((m.flags() & Nl.NLM_F_ACK_TLVS) != 0) {
            boolean capped = (m.flags() & Nl.NLM_F_CAPPED) != 0;
            int tlvStart = p + 4 + (capped ? Nl.NLMSG_HDRLEN : Nl.align(echoedLen));
            if (tlvStart < m.end()) {
                Attributes tlvs = Attributes.parse(m.buffer(), tlvStart, m.end(), Nl.NLMSGERR_ATTR_OFFS);
                text = tlvs.has(Nl.NLMSGERR_ATTR_MSG) ? Optional.of(tlvs.string(Nl.NLMSGERR_ATTR_MSG)) : Optional.empty();
                offset = tlvs.has(Nl.NLMSGERR_ATTR_OFFS) ? OptionalInt.of(tlvs.u32(Nl.NLMSGERR_ATTR_OFFS)) : OptionalInt.empty();
            }
        }
        return new ErrorReply(-error, echoedType, echoedSeq, text, offset);
    }
}
