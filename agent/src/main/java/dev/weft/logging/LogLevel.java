package dev.weft.logging;

import java.util.Locale;
import java.util.Optional;

/** The levels {@code --log-level} accepts; {@code warning} is taken for {@code warn}, as Go tools spell it. */
public enum LogLevel {
    TRACE, DEBUG, INFO, WARN, ERROR;

    /** Parses a level name, any case. */
    public static Optional<LogLevel> parse(String s) {
        String n = s.strip().toUpperCase(Locale.ROOT);
        if (n.equals("WARNING")) {
            return Optional.of(WARN);
        }
        for (LogLevel l : values()) {
            if (l.name().equals(n)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }
}
