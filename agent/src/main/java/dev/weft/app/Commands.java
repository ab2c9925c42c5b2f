package dev.weft.app;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import dev.weft.doctor.DoctorReport;
import dev.weft.doctor.DoctorRequest;
import dev.weft.doctor.Finding;
import dev.weft.doctor.HostChecks;
import dev.weft.logging.Logging;
import dev.weft.masq.EnsureResult;
import dev.weft.masq.Masquerade;
import dev.weft.status.StatusRenderer;
import dev.weft.status.StatusReport;

/** The bodies of the four commands, after parsing; each returns an exit code. */
final class Commands {
    private Commands() {
    }

    static int agent(FlagValues f, WeftServices s) throws Exception {
        AgentConfig config = AgentConfigParser.parse(f);
        Logging.configure(config.logFormat(), config.logLevel());
        return s.agent().run(config, s.shutdown().get());
    }

    static int status(FlagValues f, WeftServices s, PrintWriter out) throws Exception {
        boolean json = RequestParser.jsonOutput(f);
        var request = RequestParser.status(f);
        Logging.configure(AgentConfigParser.logFormat(f), AgentConfigParser.logLevel(f));
        StatusReport report = s.status().read(request);
        out.print(json ? StatusRenderer.json(report) : StatusRenderer.table(report));
        return report.healthy() ? WeftCli.OK : WeftCli.FAILED;
    }

    static int doctor(FlagValues f, WeftServices s, PrintWriter out) throws Exception {
        DoctorRequest request = RequestParser.doctor(f);
        Logging.configure(AgentConfigParser.logFormat(f), AgentConfigParser.logLevel(f));
        List<Finding> findings = new ArrayList<>(new HostChecks(s.proc(), s.firewall()).run(request));
        try {
            findings.addAll(s.dataPlaneDoctor().run(request));
        } catch (RuntimeException e) {
            findings.add(Finding.fail("data plane", "checks could not run: " + e.getMessage(), "see the agent's logs"));
        }
        out.print(DoctorReport.render(findings));
        return DoctorReport.exitCode(findings);
    }

    /** Runs every step even when one fails, so one broken part does not leave the rest behind. */
    static int cleanup(FlagValues f, WeftServices s, PrintWriter out, PrintWriter err) throws Exception {
        CleanupRequest request = RequestParser.cleanup(f);
        Logging.configure(AgentConfigParser.logFormat(f), AgentConfigParser.logLevel(f));
        boolean ok = true;
        try {
            out.println("device: " + s.deviceCleanup().removeDevice(request));
        } catch (Exception e) {
            err.println("weft cleanup: device: " + e.getMessage());
            ok = false;
        }
        try {
            EnsureResult r = Masquerade.removeEverywhere(s.firewall());
            out.println("firewall: " + (r.changed() ? "removed " + String.join(", ", r.repaired()) : "no weft rules"));
        } catch (Exception e) {
            err.println("weft cleanup: firewall: " + e.getMessage());
            ok = false;
        }
        try {
            boolean existed = Files.deleteIfExists(request.subnetFile());
            out.println("subnet.env: " + (existed ? "removed " : "no ") + request.subnetFile());
        } catch (Exception e) {
            err.println("weft cleanup: subnet.env: " + e);
            ok = false;
        }
        return ok ? WeftCli.OK : WeftCli.FAILED;
    }
}
