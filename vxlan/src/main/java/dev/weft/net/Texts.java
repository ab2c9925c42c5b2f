package dev.weft.net;

/**
 * Quoting of untrusted text for messages and logs: a Node annotation can hold megabytes and control characters, and
 * neither may reach a log line or an error message unbounded.
 */
public final class Texts {
    /** Longest excerpt of an outside value that goes into a message. */
    public static final int EXCERPT = 64;

    private Texts() {}

    /** The value in double quotes, control characters escaped, cut to {@link #EXCERPT} characters with its length. */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        return '"' + escaped(value) + '"' + lengthNote(value);
    }

    /** Like {@link #quote} without the quotes, for values that are JSON text already (numbers, objects). */
    public static String excerpt(String value) {
        if (value == null) {
            return "null";
        }
        return escaped(value) + lengthNote(value);
    }

    private static String escaped(String value) {
        int n = Math.min(value.length(), EXCERPT);
        StringBuilder sb = new StringBuilder(n + 8);
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    private static String lengthNote(String value) {
        return value.length() > EXCERPT ? "… (" + value.length() + " chars)" : "";
    }
}
