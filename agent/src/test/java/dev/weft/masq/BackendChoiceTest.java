package dev.weft.masq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;

import dev.weft.masq.FirewallProbe.Flavour;
import org.junit.jupiter.api.Test;

/** Every branch of the documented detection rule, and the probe that feeds it. */
class BackendChoiceTest {
    static FirewallProbe probe(List<String> nft, Flavour iptNft, Flavour legacy) {
        return new FirewallProbe(Optional.ofNullable(nft), Optional.ofNullable(iptNft), Optional.ofNullable(legacy));
    }

    static Backend decide(FirewallProbe p) throws MasqueradeException {
        return BackendChoice.decide(p).backend();
    }

    @Test
    void existingWeftStateWinsSoRestartsNeverSwitch() throws Exception {
        assertThat(decide(probe(List.of("inet weft"), new Flavour(50, false), new Flavour(90, false)))).isEqualTo(Backend.NFTABLES);
        assertThat(decide(probe(List.of(), new Flavour(5, true), new Flavour(90, false)))).isEqualTo(Backend.IPTABLES_NFT);
        assertThat(decide(probe(List.of(), new Flavour(50, false), new Flavour(2, true)))).isEqualTo(Backend.IPTABLES_LEGACY);
    }

    @Test
    void legacyWinsWhenItHoldsAtLeastAsManyRules() throws Exception {
        assertThat(decide(probe(List.of("ip nat"), new Flavour(3, false), new Flavour(40, false)))).isEqualTo(Backend.IPTABLES_LEGACY);
        assertThat(decide(probe(null, new Flavour(40, false), new Flavour(3, false)))).isEqualTo(Backend.IPTABLES_NFT);
    }

    @Test
    void iptablesNftRulesBeatNativeNftTables() throws Exception {
        BackendChoice c = BackendChoice.decide(probe(List.of("ip filter", "inet firewalld"), new Flavour(12, false), new Flavour(0, false)));
        assertThat(c.backend()).isEqualTo(Backend.IPTABLES_NFT);
        assertThat(c.reason()).contains("12 rules");
    }

    @Test
    void nativeNftHostGetsNftables() throws Exception {
        BackendChoice c = BackendChoice.decide(probe(List.of("ip nat", "ip kube-proxy", "ip6 kube-proxy"), new Flavour(0, false), new Flavour(0, false)));
        assertThat(c.backend()).isEqualTo(Backend.NFTABLES);
        assertThat(c.reason()).contains("ip kube-proxy, ip6 kube-proxy").doesNotContain("ip nat");
    }

    @Test
    void emptyHostPrefersIptablesNftThenLegacyThenNft() throws Exception {
        assertThat(decide(probe(List.of(), new Flavour(0, false), new Flavour(0, false)))).isEqualTo(Backend.IPTABLES_NFT);
        assertThat(decide(probe(List.of(), null, new Flavour(0, false)))).isEqualTo(Backend.IPTABLES_LEGACY);
        assertThat(decide(probe(List.of(), null, null))).isEqualTo(Backend.NFTABLES);
        assertThatThrownBy(() -> decide(probe(null, null, null))).isInstanceOf(MasqueradeException.class)
                .hasMessageContaining("iptables-nft, iptables-legacy or nft");
    }

    @Test
    void probeReadsTablesRuleCountsAndWeftChains() {
        FakeExec exec = new FakeExec()
                .answer("nft list tables", "table ip nat\ntable inet weft\ntable ip filter\n")
                .answer("iptables-nft-save", MasqRulesTest.COMPLETE)
                .answer("iptables-legacy-save", 1, "", "can't initialize iptables table");
        FirewallProbe p = FirewallProbe.run(exec);
        assertThat(p.weftInNft()).isTrue();
        assertThat(p.nativeNftTables()).isEmpty();
        assertThat(p.iptablesNft()).contains(new Flavour(7, true));
        assertThat(p.iptablesLegacy()).isEmpty();
    }
}
