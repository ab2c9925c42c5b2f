package dev.weft.doctor;

import java.util.Objects;
import java.util.Optional;

/**
 * One line of {@code weft doctor}: a check's verdict, what was seen, and for WARN/FAIL how to fix it.
 *
 * @param level  OK, WARN or FAIL
 * @param check  short name, e.g. {@code ip_forward}
 * @param detail what was found
 * @param hint   what to do about it
 */
public record Finding(Level level, String check, String detail, Optional<String> hint) {
    /** A check's verdict. */
    public enum Level { OK, WARN, FAIL }

    public Finding {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(hint, "hint");
    }

    public static Finding ok(String check, String detail) {
        return new Finding(Level.OK, check, detail, Optional.empty());
    }

    public static Finding warn(String check, String detail, String hint) {
        return new Finding(Level.WARN, check, detail, Optional.of(hint));
    }

    public static Finding fail(String check, String detail, String hint) {
        return new Finding(Level.FAIL, check, detail, Optional.of(hint));
    }
}
