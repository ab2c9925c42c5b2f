package dev.weft.rtnl;

import java.util.HexFormat;
import java.util.Objects;

/** A 48-bit Ethernet address, written {@code aa:bb:cc:dd:ee:ff}. */
public record MacAddress(long bits) {
    private static final long MASK = 0xffff_ffff_ffffL;

    public MacAddress {
        if ((bits & ~MASK) != 0) {
            throw new IllegalArgumentException("MAC address value " + Long.toHexString(bits) + " exceeds 48 bits");
        }
    }

    /** Parses six colon-separated hex octets, e.g. {@code 0a:58:0a:2a:01:00} (case-insensitive). */
    public static MacAddress parse(String text) {
        Objects.requireNonNull(text, "MAC address");
        String[] parts = text.strip().split(":", -1);
        if (parts.length != 6) {
            throw new IllegalArgumentException("invalid MAC address '" + text + "': expected six octets like aa:bb:cc:dd:ee:ff");
        }
        long v = 0;
        for (String p : parts) {
            if (p.length() != 2 || !HexFormat.isHexDigit(p.charAt(0)) || !HexFormat.isHexDigit(p.charAt(1))) {
                throw new IllegalArgumentException("invalid MAC address '" + text + "': octet '" + p + "' is not two hex digits");
            }
            v = v << 8 | HexFormat.fromHexDigits(p);
        }
        return new MacAddress(v);
    }

    /** From six bytes in wire order. */
    public static MacAddress of(byte[] octets) {
        if (octets.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, not " + octets.length);
        }
        long v = 0;
        for (byte b : octets) {
            v = v << 8 | (b & 0xff);
        }
        return new MacAddress(v);
    }

    /** The six bytes in wire order. */
    public byte[] octets() {
        byte[] out = new byte[6];
        for (int i = 0; i < 6; i++) {
            out[i] = (byte) (bits >>> (40 - 8 * i));
        }
        return out;
    }

    public boolean isZero() {
        return bits == 0;
    }

    /** Group bit set: multicast or broadcast. */
    public boolean isMulticast() {
        return (bits >>> 40 & 1) != 0;
    }

    @Override
    public String toString() {
        return HexFormat.ofDelimiter(":").formatHex(octets());
    }
}
