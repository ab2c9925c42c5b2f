package dev.weft.masq;

import java.util.ArrayList;
import java.util.List;

import dev.weft.net.IpPrefix;

/**
 * weft's rules as one nftables table, {@code table inet weft}, written as {@code nft list}
 * prints it so the check can compare text. The structure mirrors the iptables backends: a nat
 * base chain at the postrouting hook and a filter base chain at the forward hook, each with one
 * jump to a regular chain ({@code WEFT-POSTRTG}, {@code WEFT-FWD}) that holds the rules. One
 * {@code inet} table serves both IP families. Note that in nftables an accept here cannot
 * overrule a drop in another table's forward chain: every base chain on a hook must accept.
 */
public final class NftRules {
    public static final String FAMILY = "inet";
    public static final String TABLE = "weft";

    private NftRules() {
    }

    /** The table body as {@code nft list table inet weft} prints it, one entry per line, without indentation. */
    public static List<String> render(MasqSpec spec) {
        List<String> nat = new ArrayList<>();
        List<String> fwd = new ArrayList<>();
        for (IpPrefix n : spec.networks()) {
            String ip = n.isIpv6() ? "ip6" : "ip";
            String multicast = n.isIpv6() ? "ff00::/8" : "224.0.0.0/4";
            nat.add(ip + " saddr " + n + " " + ip + " daddr " + n + " return");
            nat.add(ip + " saddr " + n + " " + ip + " daddr " + multicast + " return");
            nat.add(ip + " saddr " + n + " masquerade fully-random");
            fwd.add(ip + " saddr " + n + " accept");
            fwd.add(ip + " daddr " + n + " accept");
        }
        List<String> out = new ArrayList<>();
        out.add("table " + FAMILY + " " + TABLE + " {");
        chain(out, "postrouting", "type nat hook postrouting priority srcnat; policy accept;", List.of("jump " + IptablesRules.NAT_CHAIN));
        chain(out, IptablesRules.NAT_CHAIN, null, nat);
        chain(out, "forward", "type filter hook forward priority filter; policy accept;", List.of("jump " + IptablesRules.FWD_CHAIN));
        chain(out, IptablesRules.FWD_CHAIN, null, fwd);
        out.add("}");
        return out;
    }

    /**
     * The {@code nft -f} input replacing the table atomically: declaring it first makes the
     * delete succeed when it does not exist yet, and the whole file is one transaction.
     */
    public static String replaceScript(MasqSpec spec) {
        StringBuilder s = new StringBuilder()
                .append("add table ").append(FAMILY).append(' ').append(TABLE).append('\n')
                .append("delete table ").append(FAMILY).append(' ').append(TABLE).append('\n');
        render(spec).forEach(l -> s.append(l).append('\n'));
        return s.toString();
    }

    /** {@code nft list} output reduced to comparable lines: trimmed, no blank lines, no handle comments. */
    public static List<String> normalize(String listed) {
        List<String> out = new ArrayList<>();
        for (String raw : listed.split("\n")) {
            String l = raw.replaceAll("\\s*# handle \\d+$", "").strip();
            if (!l.isEmpty()) {
                out.add(l.replaceAll("\\s+", " "));
            }
        }
        return out;
    }

    private static void chain(List<String> out, String name, String hook, List<String> rules) {
        out.add("chain " + name + " {");
        if (hook != null) {
            out.add(hook);
        }
        out.addAll(rules);
        out.add("}");
    }
}
