package dev.weft.logging;

import java.util.Objects;
import java.util.function.Function;

import org.slf4j.Logger;

/**
 * Logs one line when a watched state changes and stays silent while it holds, so a loop that
 * re-checks something every second does not log every second. Thread-safe.
 *
 * @param <T> the state; compared with {@link Objects#equals}
 */
public final class StateChangeLog<T> {
    private final Logger log;
    private final Function<T, String> describe;
    private T last;
    private boolean seen;

    /** {@code describe} turns a new state into the line logged at INFO. */
    public StateChangeLog(Logger log, Function<T, String> describe) {
        this.log = log;
        this.describe = describe;
    }

    /** Records {@code state}; logs and returns true when it differs from the previous one. */
    public synchronized boolean update(T state) {
        if (seen && Objects.equals(last, state)) {
            return false;
        }
        seen = true;
        last = state;
        log.info(describe.apply(state));
        return true;
    }

    /** Like {@link #update} but logs at WARN: for states that are problems (API unreachable). */
    public synchronized boolean updateWarn(T state) {
        if (seen && Objects.equals(last, state)) {
            return false;
        }
        seen = true;
        last = state;
        log.warn(describe.apply(state));
        return true;
    }
}
