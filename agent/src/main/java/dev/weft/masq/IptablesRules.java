package dev.weft.masq;

import java.util.List;

import dev.weft.net.IpPrefix;

/**
 * weft's iptables rules for one pod network, written exactly as {@code iptables-save} prints
 * them (match order {@code -s -d -m comment -j}, comments quoted), so the check can compare text.
 * <p>
 * nat {@code WEFT-POSTRTG}, jumped to from POSTROUTING:
 * pod to pod stays un-NATed (RETURN), pod to multicast too (224.0.0.0/4, ff00::/8; NAT would
 * break it), pod to anywhere else is masqueraded with {@code --random-fully} (avoids SNAT port
 * collisions). Traffic from outside into the pod network is not matched at all, so the pods see
 * the real client address. filter {@code WEFT-FWD}, jumped to from FORWARD: accept anything
 * from or to the pod network, so a host whose FORWARD policy is DROP still forwards pod traffic.
 */
public final class IptablesRules {
    public static final String NAT_CHAIN = "WEFT-POSTRTG";
    public static final String FWD_CHAIN = "WEFT-FWD";

    /** One weft chain, its rules, and the single jump rule hooking it in. */
    public record ChainSpec(String table, String chain, String hook, List<String> rules, String jump) {
        public ChainSpec {
            rules = List.copyOf(rules);
        }
    }

    private IptablesRules() {
    }

    /** The nat chain first, then the filter chain. */
    public static List<ChainSpec> render(IpPrefix net) {
        String n = net.toString();
        String multicast = net.isIpv6() ? "ff00::/8" : "224.0.0.0/4";
        String a = "-A " + NAT_CHAIN + " -s " + n;
        ChainSpec nat = new ChainSpec("nat", NAT_CHAIN, "POSTROUTING", List.of(
                a + " -d " + n + " -m comment --comment \"weft: pod to pod, no NAT\" -j RETURN",
                a + " -d " + multicast + " -m comment --comment \"weft: multicast, no NAT\" -j RETURN",
                a + " -m comment --comment \"weft: pod to outside\" -j MASQUERADE --random-fully"),
                "-A POSTROUTING -m comment --comment \"weft: pod masquerade\" -j " + NAT_CHAIN);
        ChainSpec fwd = new ChainSpec("filter", FWD_CHAIN, "FORWARD", List.of(
                "-A " + FWD_CHAIN + " -s " + n + " -m comment --comment \"weft: from pods\" -j ACCEPT",
                "-A " + FWD_CHAIN + " -d " + n + " -m comment --comment \"weft: to pods\" -j ACCEPT"),
                "-A FORWARD -m comment --comment \"weft: pod forwarding\" -j " + FWD_CHAIN);
        return List.of(nat, fwd);
    }
}
