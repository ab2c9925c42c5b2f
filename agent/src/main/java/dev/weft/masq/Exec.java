package dev.weft.masq;

import java.io.IOException;
import java.util.List;

/**
 * Runs firewall tools ({@code iptables-*-save/restore}, {@code nft}). The only place weft execs
 * programs; an interface so rule logic is tested against recorded output, and kernel tests run
 * the real tools inside a test namespace.
 */
@FunctionalInterface
public interface Exec {
    /**
     * Runs {@code command} with {@code stdin} (null for none) and waits, bounded, for it to end.
     *
     * @throws IOException when the program cannot be started (not installed) or does not finish in time
     */
    ExecResult run(List<String> command, String stdin) throws IOException;
}
