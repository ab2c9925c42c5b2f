package dev.weft.masq;

import java.util.List;
import java.util.Objects;

/**
 * Which backend weft uses on this host, and why. The rule, first match wins:
 * <ol>
 * <li>Where weft's rules already are (table inet weft, or WEFT-* chains in a flavour): a
 *     restarted agent keeps using what it used, never leaving a second copy elsewhere.</li>
 * <li>iptables-legacy when it holds rules and at least as many as iptables-nft: the host
 *     (typically kube-proxy) uses legacy, and mixing the two makes rule order unpredictable.
 *     This is the comparison Kubernetes' iptables-wrappers makes.</li>
 * <li>iptables-nft when it holds any rules.</li>
 * <li>nftables when the host has native nftables tables (any table iptables-nft does not own,
 *     e.g. {@code inet filter}, kube-proxy's nftables mode {@code ip kube-proxy}).</li>
 * <li>On a host with no rules at all: iptables-nft, else iptables-legacy, else nftables,
 *     whichever tools are installed (iptables first, as flannel and kube-proxy default to it).</li>
 * </ol>
 */
public record BackendChoice(Backend backend, String reason) {
    public BackendChoice {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(reason, "reason");
    }

    /** Applies the rule to a probe; throws when no firewall tool works here. */
    public static BackendChoice decide(FirewallProbe p) throws MasqueradeException {
        if (p.weftInNft()) {
            return new BackendChoice(Backend.NFTABLES, "table inet weft already exists");
        }
        if (p.iptablesNft().map(FirewallProbe.Flavour::weftChains).orElse(false)) {
            return new BackendChoice(Backend.IPTABLES_NFT, "weft's chains already exist in iptables-nft");
        }
        if (p.iptablesLegacy().map(FirewallProbe.Flavour::weftChains).orElse(false)) {
            return new BackendChoice(Backend.IPTABLES_LEGACY, "weft's chains already exist in iptables-legacy");
        }
        int legacy = p.iptablesLegacy().map(FirewallProbe.Flavour::rules).orElse(0);
        int nft = p.iptablesNft().map(FirewallProbe.Flavour::rules).orElse(0);
        if (legacy > 0 && legacy >= nft) {
            return new BackendChoice(Backend.IPTABLES_LEGACY, "the host's iptables rules are legacy (" + legacy
                    + " legacy rules, " + nft + " iptables-nft rules)");
        }
        if (nft > 0) {
            return new BackendChoice(Backend.IPTABLES_NFT, "the host's iptables rules are in iptables-nft (" + nft + " rules)");
        }
        List<String> natives = p.nativeNftTables();
        if (!natives.isEmpty()) {
            return new BackendChoice(Backend.NFTABLES, "the host uses nftables natively (tables: " + String.join(", ", natives) + ")");
        }
        if (p.iptablesNft().isPresent()) {
            return new BackendChoice(Backend.IPTABLES_NFT, "no firewall rules yet; iptables-nft is installed");
        }
        if (p.iptablesLegacy().isPresent()) {
            return new BackendChoice(Backend.IPTABLES_LEGACY, "no firewall rules yet; only iptables-legacy is installed");
        }
        if (p.nftTables().isPresent()) {
            return new BackendChoice(Backend.NFTABLES, "no firewall rules yet; only nft is installed");
        }
        throw new MasqueradeException("--ip-masq needs iptables-nft, iptables-legacy or nft, and none of them runs here");
    }
}
