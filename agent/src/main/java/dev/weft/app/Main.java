package dev.weft.app;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The {@code weft} executable's entry point, and the only place in weft that exits the JVM. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), dev.weft.node.ProductionServices.create()));
    }

    /** Runs one command on stdout/stderr with {@code services}; the AOT training run comes in here too. */
    public static int run(String[] args, Map<String, String> env, WeftServices services) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = WeftCli.run(args, env, out, err, services);
        out.flush();
        err.flush();
        return code;
    }
}
