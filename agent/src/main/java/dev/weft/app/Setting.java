package dev.weft.app;

import java.util.Objects;

/**
 * One raw value and where it came from: a flag ({@code --iface}) or an environment variable
 * ({@code WEFT_IFACE}, {@code NODE_NAME}). Kept together so every error can name its source.
 */
public record Setting(String source, String value) {
    public Setting {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(value, "value");
    }

    /** True when the value came from the command line rather than the environment. */
    public boolean fromFlag() {
        return source.startsWith("-");
    }

    /** {@code --iface} or {@code environment variable WEFT_IFACE}. */
    public String describeSource() {
        return fromFlag() ? source : "environment variable " + source;
    }
}
