package dev.weft.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.weft.masq.Exec;
import dev.weft.masq.MasqCheck;
import dev.weft.masq.MasqSpec;
import dev.weft.masq.Masquerade;
import dev.weft.masq.MasqueradeException;

/**
 * The doctor checks that need only files under {@code /proc} and the firewall tools:
 * {@code ip_forward}, {@code rp_filter}, {@code br_netfilter}, subnet.env, the CNI config the
 * runtime will pick, and the masquerade rules. The data-plane checks (interface, MTU, device
 * MAC, per-peer ARP/FDB/route, checksum offload) come from the agent's wiring.
 */
public final class HostChecks implements DoctorCheck {
    private static final Pattern WEFT_TYPE = Pattern.compile("\"type\"\\s*:\\s*\"weft\"");

    private final Path proc;
    private final Exec exec;

    /**
     * @param proc the proc filesystem root ({@code /proc}; tests pass a directory tree)
     * @param exec runs the firewall tools for the masquerade check
     */
    public HostChecks(Path proc, Exec exec) {
        this.proc = proc;
        this.exec = exec;
    }

    @Override
    public List<Finding> run(DoctorRequest req) {
        List<Finding> out = new ArrayList<>();
        Map<String, String> env = null;
        IOException unreadable = null;
        try {
            env = SubnetEnvFile.read(req.subnetFile());
        } catch (IOException e) {
            unreadable = e;
        }
        boolean ipv6Only = env != null && !env.containsKey("FLANNEL_NETWORK") && env.containsKey("FLANNEL_IPV6_NETWORK");
        if (!ipv6Only) {
            out.add(ipForward());
            out.add(rpFilter());
        }
        if (env != null && env.containsKey("FLANNEL_IPV6_NETWORK")) {
            out.add(ipv6Forward());
        }
        out.add(brNetfilter());
        if (unreadable != null) {
            out.add(Finding.fail("subnet.env", req.subnetFile() + " cannot be read (" + unreadable.getClass().getSimpleName() + ")",
                    "weft agent writes it once lease and device are ready; check its /readyz and logs"));
        }
        if (env != null) {
            out.add(subnetEnv(req, env));
        }
        out.add(cniConf(req.cniConfDir()));
        out.add(masquerade(req, env));
        return out;
    }

    Finding ipForward() {
        String v = sysctl("sys/net/ipv4/ip_forward");
        return "1".equals(v) ? Finding.ok("ip_forward", "net.ipv4.ip_forward = 1")
                : Finding.fail("ip_forward", "net.ipv4.ip_forward = " + or(v), "sysctl -w net.ipv4.ip_forward=1 (and persist it in /etc/sysctl.d)");
    }

    /** Checked when subnet.env has an IPv6 network: the node forwards its pods' IPv6 traffic. */
    Finding ipv6Forward() {
        String v = sysctl("sys/net/ipv6/conf/all/forwarding");
        return "1".equals(v) ? Finding.ok("ip6_forward", "net.ipv6.conf.all.forwarding = 1")
                : Finding.fail("ip6_forward", "net.ipv6.conf.all.forwarding = " + or(v),
                        "sysctl -w net.ipv6.conf.all.forwarding=1 (and persist it in /etc/sysctl.d)");
    }

    Finding rpFilter() {
        String v = sysctl("sys/net/ipv4/conf/all/rp_filter");
        if ("1".equals(v)) {
            return Finding.warn("rp_filter", "net.ipv4.conf.all.rp_filter = 1 (strict)",
                    "strict reverse-path filtering drops overlay traffic that arrives on another interface than the route back; "
                            + "sysctl -w net.ipv4.conf.all.rp_filter=2 (loose)");
        }
        return Finding.ok("rp_filter", "net.ipv4.conf.all.rp_filter = " + or(v));
    }

    Finding brNetfilter() {
        String v = sysctl("sys/net/bridge/bridge-nf-call-iptables");
        if (v == null) {
            return Finding.warn("br_netfilter", "not loaded (no net.bridge.bridge-nf-call-iptables)",
                    "modprobe br_netfilter: without it, Service traffic between pods on one bridge bypasses kube-proxy's rules");
        }
        return "1".equals(v) ? Finding.ok("br_netfilter", "net.bridge.bridge-nf-call-iptables = 1")
                : Finding.warn("br_netfilter", "net.bridge.bridge-nf-call-iptables = " + v,
                "sysctl -w net.bridge.bridge-nf-call-iptables=1");
    }

    /** The lines flanneld writes: MTU and IPMASQ always, and each family's network and subnet (IPv4's unless IPv6-only). */
    Finding subnetEnv(DoctorRequest req, Map<String, String> env) {
        List<String> keys = new ArrayList<>(List.of("FLANNEL_NETWORK", "FLANNEL_SUBNET", "FLANNEL_MTU", "FLANNEL_IPMASQ"));
        if (env.containsKey("FLANNEL_IPV6_NETWORK") || env.containsKey("FLANNEL_IPV6_SUBNET")) {
            keys.addAll(List.of("FLANNEL_IPV6_NETWORK", "FLANNEL_IPV6_SUBNET"));
            if (!env.containsKey("FLANNEL_NETWORK") && !env.containsKey("FLANNEL_SUBNET")) {
                keys.removeAll(List.of("FLANNEL_NETWORK", "FLANNEL_SUBNET")); // an IPv6-only node's file
            }
        }
        List<String> missing = keys.stream().filter(k -> !env.containsKey(k)).toList();
        String content = String.join(" ", env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        if (!missing.isEmpty()) {
            return Finding.fail("subnet.env", req.subnetFile() + " lacks " + String.join(", ", missing),
                    "delete it and let weft agent rewrite it");
        }
        boolean fileMasq = Boolean.parseBoolean(env.get("FLANNEL_IPMASQ"));
        if (fileMasq != req.ipMasq()) {
            return Finding.warn("subnet.env", content + " but --ip-masq is " + req.ipMasq(),
                    "run doctor with the agent's flags, or restart the agent so it rewrites the file");
        }
        return Finding.ok("subnet.env", content);
    }

    Finding cniConf(Path dir) {
        List<Path> confs;
        try (Stream<Path> s = Files.list(dir)) {
            confs = s.filter(p -> p.getFileName().toString().matches(".*\\.(conf|conflist|json)$")).sorted().toList();
        } catch (IOException e) {
            return Finding.fail("cni config", dir + " cannot be listed (" + e.getClass().getSimpleName() + ")",
                    "the DaemonSet's init container writes 10-weft.conflist there; check --cni-conf-dir");
        }
        List<Path> weft = confs.stream().filter(HostChecks::isWeft).toList();
        if (weft.isEmpty()) {
            return Finding.fail("cni config", "no weft network config in " + dir
                    + (confs.isEmpty() ? "" : " (found " + names(confs) + ")"),
                    "weft's install step writes 10-weft.conflist once subnet.env exists");
        }
        if (!confs.getFirst().equals(weft.getFirst())) {
            return Finding.warn("cni config", "the runtime uses the first file, " + confs.getFirst().getFileName()
                    + ", not weft's " + weft.getFirst().getFileName(), "remove or rename the other network config");
        }
        return Finding.ok("cni config", weft.getFirst() + " is the runtime's network config");
    }

    Finding masquerade(DoctorRequest req, Map<String, String> env) {
        if (!req.ipMasq()) {
            return Finding.ok("masquerade", "not requested (--ip-masq off)");
        }
        if (env == null || (!env.containsKey("FLANNEL_NETWORK") && !env.containsKey("FLANNEL_IPV6_NETWORK"))) {
            return Finding.warn("masquerade", "cannot check without FLANNEL_NETWORK or FLANNEL_IPV6_NETWORK from subnet.env",
                    "fix subnet.env first");
        }
        try {
            List<String> nets = new ArrayList<>();
            for (String k : List.of("FLANNEL_NETWORK", "FLANNEL_IPV6_NETWORK")) {
                if (env.containsKey(k)) {
                    nets.add(env.get(k));
                }
            }
            Masquerade m = Masquerade.detect(exec);
            MasqCheck c = m.check(MasqSpec.of(nets.toArray(String[]::new)));
            if (c.complete()) {
                return Finding.ok("masquerade", m.backend().label() + " rules in place (" + m.reason() + ")");
            }
            return Finding.fail("masquerade", m.backend().label() + ": " + String.join("; ", c.missing()),
                    "the agent restores them at its next resync; if they keep vanishing, another tool is flushing them");
        } catch (MasqueradeException | IllegalArgumentException e) {
            return Finding.fail("masquerade", "cannot check: " + e.getMessage(), "install iptables or nftables tools");
        }
    }

    private String sysctl(String rel) {
        try {
            return Files.readString(proc.resolve(rel)).strip();
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean isWeft(Path p) {
        try {
            return WEFT_TYPE.matcher(Files.readString(p)).find();
        } catch (IOException e) {
            return false;
        }
    }

    private static String names(List<Path> ps) {
        return String.join(", ", ps.stream().map(p -> p.getFileName().toString()).toList());
    }

    private static String or(String v) {
        return v == null ? "unknown" : v;
    }
}
