package dev.weft.masq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.weft.testing.KernelTest;
import dev.weft.testing.TestNetns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real tools inside a fresh namespace: rules land as rendered, re-applying is a no-op, a
 * deleted piece is repaired alone, removal leaves nothing, and detection follows its rule.
 */
@KernelTest
class MasqueradeKernelIT {
    static final MasqSpec SPEC = MasqSpec.of("10.42.0.0/16");

    static String save(TestNetns ns, Backend b) {
        return switch (b) {
            case IPTABLES_NFT -> ns.exec("iptables-nft-save");
            case IPTABLES_LEGACY -> ns.exec("iptables-legacy-save");
            case NFTABLES -> ns.execResult(java.time.Duration.ofSeconds(10), "nft", "list", "ruleset").stdout();
        };
    }

    /** The rule lines only: without the timestamps and counters iptables-save prints. */
    static List<String> rules(TestNetns ns, Backend b) {
        return save(ns, b).lines().filter(l -> !l.startsWith("#")).map(l -> l.replaceAll("\\[\\d+:\\d+\\]", "")).toList();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void applyCheckReapplyRepairAndRemove(Backend backend, TestNetns ns) throws Exception {
        Masquerade m = Masquerade.using(backend, ProcessExec.inNetns(ns.name()));
        assertThat(m.check(SPEC).complete()).isFalse();
        assertThat(m.ensure(SPEC).changed()).isTrue();
        String saved = save(ns, backend);
        if (backend == Backend.NFTABLES) {
            assertThat(NftRules.normalize(saved)).containsSubsequence(NftRules.render(SPEC));
        } else {
            assertThat(saved).contains(MasqRulesTest.NAT_RULES.lines().toList().toArray(String[]::new))
                    .contains(MasqRulesTest.FWD_RULES.lines().toList().toArray(String[]::new))
                    .contains(MasqRulesTest.NAT_JUMP.strip(), MasqRulesTest.FWD_JUMP.strip());
        }
        assertThat(m.check(SPEC).complete()).isTrue();

        List<String> before = rules(ns, backend);
        assertThat(m.ensure(SPEC).changed()).as("re-apply is a no-op").isFalse();
        assertThat(rules(ns, backend)).isEqualTo(before);

        sabotage(ns, backend);
        assertThat(m.check(SPEC).complete()).isFalse();
        EnsureResult repair = m.ensure(SPEC);
        assertThat(repair.repaired()).isEqualTo(backend == Backend.NFTABLES
                ? List.of("table inet weft rewritten") : List.of("ipv4 nat POSTROUTING jump"));
        assertThat(rules(ns, backend)).isEqualTo(before);

        assertThat(m.remove().changed()).isTrue();
        assertThat(save(ns, backend)).doesNotContain("WEFT").doesNotContain("weft");
        assertThat(m.remove().changed()).as("removing twice").isFalse();
        assertThat(Masquerade.removeEverywhere(ProcessExec.inNetns(ns.name())).changed()).isFalse();
    }

    /** Deletes the nat jump the way an admin or another tool might. */
    private static void sabotage(TestNetns ns, Backend b) {
        switch (b) {
            case IPTABLES_NFT -> ns.exec("iptables-nft", "-t", "nat", "-D", "POSTROUTING", "-m", "comment", "--comment",
                    "weft: pod masquerade", "-j", "WEFT-POSTRTG");
            case IPTABLES_LEGACY -> ns.exec("iptables-legacy", "-t", "nat", "-D", "POSTROUTING", "-m", "comment", "--comment",
                    "weft: pod masquerade", "-j", "WEFT-POSTRTG");
            case NFTABLES -> ns.exec("nft", "flush", "chain", "inet", "weft", "postrouting");
        }
    }

    @Test
    void dualStackRulesGoToBothFamilies(TestNetns ns) throws Exception {
        MasqSpec dual = MasqSpec.of("10.42.0.0/16", "fd00:42::/56");
        Masquerade m = Masquerade.using(Backend.IPTABLES_NFT, ProcessExec.inNetns(ns.name()));
        assertThat(m.ensure(dual).changed()).isTrue();
        assertThat(ns.exec("ip6tables-nft-save")).contains("-A WEFT-POSTRTG -s fd00:42::/56 -d ff00::/8");
        assertThat(m.ensure(dual).changed()).isFalse();
        assertThat(m.remove().repaired()).anyMatch(r -> r.startsWith("ipv6 "));
        assertThat(ns.exec("ip6tables-nft-save")).doesNotContain("WEFT");
    }

    @Test
    void detectionFollowsTheHostAndSticksToWeftsOwnState(TestNetns ns) throws Exception {
        ProcessExec exec = ProcessExec.inNetns(ns.name());
        assertThat(Masquerade.detect(exec).backend()).as("empty namespace").isEqualTo(Backend.IPTABLES_NFT);
        ns.exec("nft", "add", "table", "inet", "hostfw");
        Masquerade nft = Masquerade.detect(exec);
        assertThat(nft.backend()).isEqualTo(Backend.NFTABLES);
        assertThat(nft.reason()).contains("inet hostfw");
        nft.ensure(SPEC);
        ns.exec("iptables-legacy", "-A", "INPUT", "-s", "198.18.9.9", "-j", "DROP");
        assertThat(Masquerade.detect(exec).backend()).as("weft's table wins over host rules").isEqualTo(Backend.NFTABLES);
        nft.remove();
        assertThat(Masquerade.detect(exec).backend()).as("legacy rules present").isEqualTo(Backend.IPTABLES_LEGACY);
    }

    @Test
    void cleanupRemovesRulesFromEveryBackend(TestNetns ns) throws Exception {
        ProcessExec exec = ProcessExec.inNetns(ns.name());
        for (Backend b : Backend.values()) {
            Masquerade.using(b, exec).ensure(SPEC);
        }
        EnsureResult r = Masquerade.removeEverywhere(exec);
        assertThat(r.repaired()).anyMatch(s -> s.startsWith("iptables-nft ")).anyMatch(s -> s.startsWith("iptables-legacy "))
                .contains("nftables table inet weft");
        for (Backend b : Backend.values()) {
            assertThat(save(ns, b)).doesNotContain("WEFT").doesNotContain("weft");
        }
    }
}
