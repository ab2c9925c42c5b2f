package dev.weft.masq;

import java.util.List;

/** A finished external command: its argv, exit code and captured output. */
public record ExecResult(List<String> command, int exitCode, String stdout, String stderr) {
    public ExecResult {
        command = List.copyOf(command);
    }

    public boolean ok() {
        return exitCode == 0;
    }

    /** {@code iptables-nft-restore ... exited 1: <first stderr line>}. */
    public String describe() {
        String err = stderr.strip().lines().findFirst().orElse("");
        return String.join(" ", command) + " exited " + exitCode + (err.isEmpty() ? "" : ": " + err);
    }
}
