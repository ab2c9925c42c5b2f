package dev.weft.masq;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the host's firewall looks like, as far as choosing a backend needs: the nftables tables,
 * and per iptables flavour how many rules it holds and whether weft's chains are there. Gathered
 * with read-only commands ({@code nft list tables}, {@code iptables-*-save}); a tool that is
 * missing or fails counts as unavailable.
 *
 * @param nftTables  {@code family name} of every nftables table, or empty when {@code nft} is unavailable
 * @param iptablesNft  the nft flavour's IPv4 state, when its tools run
 * @param iptablesLegacy the legacy flavour's IPv4 state, when its tools run
 */
public record FirewallProbe(Optional<List<String>> nftTables, Optional<Flavour> iptablesNft, Optional<Flavour> iptablesLegacy) {
    /** One iptables flavour: its rule count and whether weft's chains exist in it. */
    public record Flavour(int rules, boolean weftChains) {
    }

    /** Tables iptables-nft creates for itself; anything else in nftables was made natively. */
    private static final List<String> IPTABLES_NFT_TABLES = List.of("filter", "nat", "mangle", "raw", "security");

    /** Runs the read-only probes through {@code exec}. */
    public static FirewallProbe run(Exec exec) {
        return new FirewallProbe(nft(exec), flavour(exec, Backend.IPTABLES_NFT), flavour(exec, Backend.IPTABLES_LEGACY));
    }

    /** True when {@code table inet weft} exists. */
    public boolean weftInNft() {
        return nftTables.map(t -> t.contains(NftRules.FAMILY + " " + NftRules.TABLE)).orElse(false);
    }

    /** nftables tables that neither iptables-nft nor weft made: the host uses nftables natively. */
    public List<String> nativeNftTables() {
        return nftTables.orElse(List.of()).stream()
                .filter(t -> !t.equals(NftRules.FAMILY + " " + NftRules.TABLE))
                .filter(t -> {
                    String[] fn = t.split(" ", 2);
                    boolean iptFamily = fn[0].equals("ip") || fn[0].equals("ip6");
                    return !(iptFamily && fn.length == 2 && IPTABLES_NFT_TABLES.contains(fn[1]));
                })
                .toList();
    }

    private static Optional<List<String>> nft(Exec exec) {
        try {
            ExecResult r = exec.run(List.of("nft", "list", "tables"), null);
            if (!r.ok()) {
                return Optional.empty();
            }
            List<String> tables = new ArrayList<>();
            for (String line : r.stdout().split("\n")) {
                String l = line.strip();
                if (l.startsWith("table ")) {
                    tables.add(l.substring(6).strip());
                }
            }
            return Optional.of(tables);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Flavour> flavour(Exec exec, Backend b) {
        try {
            ExecResult r = exec.run(List.of(b.save(false)), null);
            if (!r.ok()) {
                return Optional.empty();
            }
            var tables = IptablesSave.parse(r.stdout());
            int rules = tables.values().stream().mapToInt(t -> t.rules().size()).sum();
            boolean weft = tables.values().stream().anyMatch(t ->
                    t.chains().contains(IptablesRules.NAT_CHAIN) || t.chains().contains(IptablesRules.FWD_CHAIN));
            return Optional.of(new Flavour(rules, weft));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
