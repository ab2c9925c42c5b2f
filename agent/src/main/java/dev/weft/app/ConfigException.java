package dev.weft.app;

/**
 * A bad flag, environment variable or configuration value. The message always names where the
 * value came from ({@code --healthz-port}, {@code WEFT_HEALTHZ_PORT}, a file) and the value
 * itself; the CLI prints it on one line and exits 2.
 */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }

    /** {@code invalid value for <source>: '<value>' (<problem>)}. */
    public static ConfigException invalid(Setting setting, String problem) {
        return new ConfigException("invalid value for " + setting.describeSource() + ": '"
                + printable(setting.value()) + "' (" + problem + ")");
    }

    // Control characters from a hostile env var must not reach the terminal raw.
    private static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}
