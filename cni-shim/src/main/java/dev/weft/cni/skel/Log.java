package dev.weft.cni.skel;

import java.io.PrintStream;

/**
 * The shim's log: one line per event on stderr, which the runtime collects (stdout belongs to
 * the CNI protocol). No timestamps: the runtime's log adds its own. Debug lines, including
 * phase timings, appear when the environment has {@code WEFT_CNI_DEBUG=1}.
 */
public final class Log {
    private final PrintStream err;
    private final boolean debug;
    private final long startNanos;
    private volatile String context = "";

    public Log(PrintStream err, boolean debug) {
        this.err = err;
        this.debug = debug;
        this.startNanos = System.nanoTime();
    }

    /** Sets what every following line is about, e.g. {@code ADD 3f2a9c/eth0}. */
    public void context(String context) {
        this.context = context == null || context.isEmpty() ? "" : context + ": ";
    }

    public boolean debugEnabled() {
        return debug;
    }

    public void debug(String msg) {
        if (debug) {
            long tenths = (System.nanoTime() - startNanos) / 100_000;
            line("debug", msg + " (+" + tenths / 10 + "." + tenths % 10 + " ms)");
        }
    }

    public void info(String msg) {
        line("info", msg);
    }

    public void warn(String msg) {
        line("warn", msg);
    }

    public void error(String msg) {
        line("error", msg);
    }

    /** Milliseconds since this log was created (the start of the command). */
    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private void line(String level, String msg) {
        err.println("weft-cni " + level + ": " + context + msg);
        err.flush();
    }
}
