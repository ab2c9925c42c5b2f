package dev.weft.cni.types;

/**
 * Validates the names that come from outside (the runtime's environment, GC lists, saved state)
 * before they become part of a file name or reach the kernel. Each check returns a problem
 * description, or null when the name is fine; callers attach the error code that fits where the
 * name came from.
 */
public final class Names {
    /** Keeps {@code <containerID>@<ifname>} well under the 255-byte file name limit. */
    public static final int MAX_CONTAINER_ID = 200;
    /** IFNAMSIZ is 16 including the terminating NUL. */
    public static final int MAX_IFNAME = 15;

    private Names() {
    }

    /**
     * The spec's container ID rule: an ASCII letter or digit, then letters, digits, '_', '.', '-'.
     * Neither '/' nor '@' can appear, which is what makes it safe in a file name and lets '@'
     * separate it from the interface name.
     */
    public static String containerIdProblem(String id) {
        if (id == null || id.isEmpty()) {
            return "is empty";
        }
        if (id.length() > MAX_CONTAINER_ID) {
            return "is longer than " + MAX_CONTAINER_ID + " characters";
        }
        if (!isAlnum(id.charAt(0))) {
            return "'" + shorten(id) + "' must start with an ASCII letter or digit";
        }
        for (int i = 1; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!isAlnum(c) && c != '_' && c != '.' && c != '-') {
                return "'" + shorten(id) + "' may only contain ASCII letters, digits, '_', '.' and '-'";
            }
        }
        return null;
    }

    /**
     * The kernel's interface name rule (1 to 15 bytes, not "." or "..", no '/', ':' or
     * whitespace), narrowed to printable ASCII so a name can never smuggle control characters
     * into a file name or a log line.
     */
    public static String ifNameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "is empty";
        }
        if (name.length() > MAX_IFNAME) {
            return "'" + shorten(name) + "' is longer than " + MAX_IFNAME + " characters";
        }
        if (name.equals(".") || name.equals("..")) {
            return "must not be '.' or '..'";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '/' || c == ':') {
                return "'" + shorten(name) + "' may only contain printable ASCII other than '/', ':' and spaces";
            }
        }
        return null;
    }

    private static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** Keeps hostile input out of messages: printable ASCII only, at most 64 characters. */
    public static String shorten(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 64; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return s.length() > 64 ? sb + "..." : sb.toString();
    }
}
