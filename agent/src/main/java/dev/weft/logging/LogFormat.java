package dev.weft.logging;

import java.util.Locale;
import java.util.Optional;

/** How log lines look: human text, or one JSON object per line for log shippers. */
public enum LogFormat {
    TEXT, JSON;

    /** Parses {@code text} or {@code json}, any case. */
    public static Optional<LogFormat> parse(String s) {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "text" -> Optional.of(TEXT);
            case "json" -> Optional.of(JSON);
            default -> Optional.empty();
        };
    }
}
