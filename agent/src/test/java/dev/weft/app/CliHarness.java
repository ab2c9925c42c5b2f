package dev.weft.app;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.weft.doctor.DoctorCheck;
import dev.weft.masq.Exec;
import dev.weft.status.StatusSource;

/** Runs {@link WeftCli} in-process with captured output and substitutable services. */
final class CliHarness {
    /** One finished run. */
    record Run(int code, String out, String err) {
    }

    final AtomicReference<AgentConfig> agentConfig = new AtomicReference<>();
    StatusSource status = req -> {
        throw new NotWiredException("status in tests");
    };
    DoctorCheck dataPlane = req -> List.of();
    DeviceCleanup device = req -> "no device";
    Exec firewall = (cmd, stdin) -> {
        throw new java.io.IOException("no firewall tools in unit tests: " + cmd.getFirst());
    };
    Path proc = Path.of("/nonexistent-proc");

    WeftServices services() {
        return new WeftServices((config, shutdown) -> {
            agentConfig.set(config);
            return 0;
        }, status, dataPlane, device, firewall, proc, ShutdownSignal::new);
    }

    Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = WeftCli.run(args, env, new PrintWriter(out), new PrintWriter(err), services());
        return new Run(code, out.toString(), err.toString());
    }

    Run run(String... args) {
        return run(Map.of(), args);
    }
}
