package dev.weft.masq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The facade over scripted tool output: what gets executed, and only when needed. */
class MasqueradeTest {
    static final MasqSpec SPEC = MasqSpec.of("10.42.0.0/16");

    @Test
    void iptablesEnsureWritesOnceThenOnlyChecks() throws Exception {
        FakeExec exec = new FakeExec().answer("iptables-nft-save", "").answer("iptables-nft-restore --wait 5 --noflush", "");
        Masquerade m = Masquerade.using(Backend.IPTABLES_NFT, exec);
        EnsureResult first = m.ensure(SPEC);
        assertThat(first.changed()).isTrue();
        assertThat(exec.calls.getLast().stdin()).contains(":WEFT-POSTRTG - [0:0]", "-j MASQUERADE --random-fully", "-j WEFT-FWD");
        exec.answer("iptables-nft-save", MasqRulesTest.COMPLETE);
        exec.calls.clear();
        assertThat(m.ensure(SPEC).changed()).isFalse();
        assertThat(exec.commandLines()).containsExactly("iptables-nft-save");
        assertThat(m.check(SPEC).complete()).isTrue();
    }

    @Test
    void legacyFlavourUsesLegacyToolsAndIpv6UsesIp6tables() throws Exception {
        FakeExec exec = new FakeExec().answer("iptables-legacy-save", MasqRulesTest.COMPLETE)
                .answer("ip6tables-legacy-save", "").answer("ip6tables-legacy-restore --wait 5 --noflush", "");
        EnsureResult r = Masquerade.using(Backend.IPTABLES_LEGACY, exec).ensure(MasqSpec.of("10.42.0.0/16", "fd00:42::/56"));
        assertThat(r.repaired()).allMatch(s -> s.startsWith("ipv6 "));
        assertThat(exec.calls.getLast().stdin()).contains("-s fd00:42::/56 -d ff00::/8");
    }

    @Test
    void restoreFailureIsAnErrorNamingTheCommand() {
        FakeExec exec = new FakeExec().answer("iptables-nft-save", "")
                .answer("iptables-nft-restore --wait 5 --noflush", 1, "", "iptables-restore: line 3 failed\n");
        assertThatThrownBy(() -> Masquerade.using(Backend.IPTABLES_NFT, exec).ensure(SPEC))
                .isInstanceOf(MasqueradeException.class)
                .hasMessageContaining("iptables-nft-restore --wait 5 --noflush exited 1: iptables-restore: line 3 failed");
    }

    @Test
    void missingToolIsAnError() {
        assertThatThrownBy(() -> Masquerade.using(Backend.NFTABLES, new FakeExec()).ensure(SPEC))
                .isInstanceOf(MasqueradeException.class).hasMessageContaining("cannot run nft list table inet weft");
    }

    @Test
    void nftEnsureCreatesThenLeavesAloneThenRewritesOnDrift() throws Exception {
        FakeExec exec = new FakeExec()
                .answer("nft list table inet weft", 1, "", "Error: No such file or directory\n")
                .answer("nft -f -", "");
        Masquerade m = Masquerade.using(Backend.NFTABLES, exec);
        assertThat(m.ensure(SPEC).repaired()).containsExactly("table inet weft created");
        assertThat(exec.calls.getLast().stdin()).isEqualTo(NftRules.replaceScript(SPEC));
        exec.answer("nft list table inet weft", String.join("\n", NftRules.render(SPEC)));
        exec.calls.clear();
        assertThat(m.ensure(SPEC).changed()).isFalse();
        assertThat(exec.commandLines()).containsExactly("nft list table inet weft");
        exec.answer("nft list table inet weft", String.join("\n", NftRules.render(SPEC)).replace("\t\tjump WEFT-FWD", "").replace("jump WEFT-FWD\n", ""));
        assertThat(m.check(SPEC).missing()).containsExactly("missing: jump WEFT-FWD");
        assertThat(m.ensure(SPEC).repaired()).containsExactly("table inet weft rewritten");
    }

    @Test
    void nftListFailureOtherThanMissingTableIsAnError() {
        FakeExec exec = new FakeExec().answer("nft list table inet weft", 1, "", "Error: Operation not permitted\n");
        assertThatThrownBy(() -> Masquerade.using(Backend.NFTABLES, exec).check(SPEC)).hasMessageContaining("Operation not permitted");
    }

    @Test
    void removeEverywhereCleansEachBackendThatHasWeftState() throws Exception {
        FakeExec exec = new FakeExec()
                .answer("nft list tables", "table inet weft\n")
                .answer("nft list table inet weft", String.join("\n", NftRules.render(SPEC)))
                .answer("nft delete table inet weft", "")
                .answer("iptables-nft-save", MasqRulesTest.COMPLETE)
                .answer("ip6tables-nft-save", "")
                .answer("iptables-nft-restore --wait 5 --noflush", "");
        EnsureResult r = Masquerade.removeEverywhere(exec);
        assertThat(r.repaired()).contains("iptables-nft ipv4 nat WEFT-POSTRTG chain", "iptables-nft ipv4 filter FORWARD jump",
                "nftables table inet weft");
        assertThat(exec.commandLines()).contains("nft delete table inet weft").doesNotContain("iptables-legacy-restore --wait 5 --noflush");
    }

    @Test
    void detectUsesTheProbe() throws Exception {
        FakeExec exec = new FakeExec().answer("nft list tables", "table inet filter\n")
                .answer("iptables-nft-save", "").answer("iptables-legacy-save", "");
        Masquerade m = Masquerade.detect(exec);
        assertThat(m.backend()).isEqualTo(Backend.NFTABLES);
        assertThat(m.reason()).contains("inet filter");
    }
}
