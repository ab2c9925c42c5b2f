package dev.weft.e2e.bench;

import java.io.PrintStream;
import java.util.List;

/** One of the benches B1..B7. It builds and removes its own namespaces; progress goes to {@code log}. */
public interface BenchPart {
    /** {@code B1}..{@code B7}. */
    String id();

    /** A few words, e.g. "netlink programming". */
    String title();

    /** Measures at {@code scale}; every figure side by side with its reference, in this run. */
    List<Row> run(Scale scale, PrintStream log) throws Exception;
}
