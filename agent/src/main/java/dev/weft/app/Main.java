package dev.weft.app;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** The {@code weft} executable's entry point, and the only place in weft that exits the JVM. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = WeftCli.run(args, System.getenv(), out, err, dev.weft.node.ProductionServices.create());
        out.flush();
        err.flush();
        System.exit(code);
    }
}
