package dev.weft.masq;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.weft.masq.IptablesRules.ChainSpec;
import dev.weft.masq.IptablesSave.Table;
import dev.weft.net.IpPrefix;

/**
 * weft's rules through {@code iptables-save} / {@code iptables-restore --noflush} of one flavour
 * (nft or legacy). Each IP family is read, planned and written as one restore transaction.
 */
final class IptablesMasq implements MasqBackend {
    private static final String LOCK_WAIT_SECONDS = "5";

    private final Exec exec;
    private final Backend flavour;

    IptablesMasq(Exec exec, Backend flavour) {
        if (flavour == Backend.NFTABLES) {
            throw new IllegalArgumentException("not an iptables flavour: " + flavour);
        }
        this.exec = exec;
        this.flavour = flavour;
    }

    @Override
    public Backend backend() {
        return flavour;
    }

    @Override
    public EnsureResult ensure(MasqSpec spec) throws MasqueradeException {
        List<String> changes = new ArrayList<>();
        for (IpPrefix net : spec.networks()) {
            IptablesPlan.Plan plan = IptablesPlan.ensure(save(net.isIpv6()), IptablesRules.render(net));
            if (!plan.empty()) {
                restore(net.isIpv6(), plan.script());
                plan.changes().forEach(c -> changes.add(family(net.isIpv6()) + " " + c));
            }
        }
        return new EnsureResult(changes);
    }

    @Override
    public MasqCheck check(MasqSpec spec) throws MasqueradeException {
        List<String> missing = new ArrayList<>();
        for (IpPrefix net : spec.networks()) {
            IptablesPlan.missing(save(net.isIpv6()), IptablesRules.render(net))
                    .forEach(m -> missing.add(family(net.isIpv6()) + " " + m));
        }
        return new MasqCheck(flavour, missing);
    }

    @Override
    public EnsureResult remove() throws MasqueradeException {
        List<String> removed = new ArrayList<>();
        for (boolean v6 : new boolean[] {false, true}) {
            Optional<Map<String, Table>> current = v6 ? saveIfAvailable(true) : Optional.of(save(false));
            if (current.isEmpty()) {
                continue;
            }
            // Chain names do not depend on the network; any network of the family renders them.
            List<ChainSpec> ours = IptablesRules.render(IpPrefix.parseNetwork(v6 ? "::/0" : "0.0.0.0/0"));
            IptablesPlan.Plan plan = IptablesPlan.remove(current.get(), ours);
            if (!plan.empty()) {
                restore(v6, plan.script());
                plan.changes().forEach(c -> removed.add(family(v6) + " " + c));
            }
        }
        return new EnsureResult(removed);
    }

    Map<String, Table> save(boolean ipv6) throws MasqueradeException {
        ExecResult r = run(List.of(flavour.save(ipv6)), null);
        return IptablesSave.parse(r.stdout());
    }

    // IPv6 may be disabled on a host; removal then has nothing to do there.
    private Optional<Map<String, Table>> saveIfAvailable(boolean ipv6) {
        try {
            ExecResult r = exec.run(List.of(flavour.save(ipv6)), null);
            return r.ok() ? Optional.of(IptablesSave.parse(r.stdout())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void restore(boolean ipv6, String script) throws MasqueradeException {
        run(List.of(flavour.restore(ipv6), "--wait", LOCK_WAIT_SECONDS, "--noflush"), script);
    }

    private ExecResult run(List<String> cmd, String stdin) throws MasqueradeException {
        ExecResult r;
        try {
            r = exec.run(cmd, stdin);
        } catch (IOException e) {
            throw new MasqueradeException("cannot run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
        }
        if (!r.ok()) {
            throw new MasqueradeException(r.describe());
        }
        return r;
    }

    private static String family(boolean ipv6) {
        return ipv6 ? "ipv6" : "ipv4";
    }
}
