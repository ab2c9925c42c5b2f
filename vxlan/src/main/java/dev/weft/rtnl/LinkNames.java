package dev.weft.rtnl;

/** Checks on interface names and MTUs, with the kernel's own limits. */
public final class LinkNames {
    /** IFNAMSIZ minus the terminating NUL. */
    public static final int MAX_LENGTH = 15;

    private LinkNames() {
    }

    /** Rejects what the kernel's dev_valid_name rejects: empty, too long, ".", "..", '/', ':' or whitespace. */
    public static String validate(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("interface name must not be empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("interface name '" + name + "' is longer than " + MAX_LENGTH + " characters");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("interface name '" + name + "' is not allowed");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c) || c < 0x21 || c > 0x7e) {
                throw new IllegalArgumentException("interface name '" + name + "' contains an invalid character at position " + i);
            }
        }
        return name;
    }

    /** Ethernet-ish bounds: IPv4 needs at least 68, and no link carries more than 65535. */
    public static int validateMtu(int mtu) {
        if (mtu < 68 || mtu > 65535) {
            throw new IllegalArgumentException("MTU " + mtu + " out of range 68-65535");
        }
        return mtu;
    }
}
