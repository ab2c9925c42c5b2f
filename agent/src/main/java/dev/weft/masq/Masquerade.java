package dev.weft.masq;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code --ip-masq}: weft's own masquerade and forward rules, never flannel's chains. Create it
 * with {@link #detect} (see {@link BackendChoice} for the rule) or {@link #using}; then call
 * {@link #ensure} at startup and on every periodic re-check: it reads the current rules and
 * writes only when something is missing or wrong, in one atomic transaction per IP family.
 * {@link #removeEverywhere} is {@code weft cleanup}'s part.
 */
public final class Masquerade {
    private final MasqBackend backend;
    private final String reason;

    private Masquerade(MasqBackend backend, String reason) {
        this.backend = backend;
        this.reason = reason;
    }

    /** Probes the host's firewall tools (read-only) and picks the backend. */
    public static Masquerade detect(Exec exec) throws MasqueradeException {
        BackendChoice c = BackendChoice.decide(FirewallProbe.run(exec));
        return new Masquerade(backendFor(c.backend(), exec), c.reason());
    }

    /** Uses the given backend, no detection. */
    public static Masquerade using(Backend b, Exec exec) {
        return new Masquerade(backendFor(b, exec), "chosen explicitly");
    }

    /** The backend in use. */
    public Backend backend() {
        return backend.backend();
    }

    /** Why this backend: for the startup log line and {@code weft doctor}. */
    public String reason() {
        return reason;
    }

    /** Installs or repairs the rules for {@code spec}; returns what it had to write (usually nothing). */
    public EnsureResult ensure(MasqSpec spec) throws MasqueradeException {
        return backend.ensure(Objects.requireNonNull(spec, "spec"));
    }

    /** Read-only: what is missing or wrong. */
    public MasqCheck check(MasqSpec spec) throws MasqueradeException {
        return backend.check(Objects.requireNonNull(spec, "spec"));
    }

    /** Removes weft's rules from this backend. */
    public EnsureResult remove() throws MasqueradeException {
        return backend.remove();
    }

    /**
     * Removes weft's rules from every backend whose tools run here (a host may have switched
     * backends between agent versions). Backends whose tools are missing are skipped; a tool that
     * runs but fails is an error.
     */
    public static EnsureResult removeEverywhere(Exec exec) throws MasqueradeException {
        FirewallProbe p = FirewallProbe.run(exec);
        List<String> removed = new ArrayList<>();
        if (p.iptablesNft().isPresent()) {
            new IptablesMasq(exec, Backend.IPTABLES_NFT).remove().repaired().forEach(r -> removed.add("iptables-nft " + r));
        }
        if (p.iptablesLegacy().isPresent()) {
            new IptablesMasq(exec, Backend.IPTABLES_LEGACY).remove().repaired().forEach(r -> removed.add("iptables-legacy " + r));
        }
        if (p.weftInNft()) {
            new NftMasq(exec).remove().repaired().forEach(r -> removed.add("nftables " + r));
        }
        return new EnsureResult(removed);
    }

    private static MasqBackend backendFor(Backend b, Exec exec) {
        return switch (b) {
            case IPTABLES_NFT, IPTABLES_LEGACY -> new IptablesMasq(exec, b);
            case NFTABLES -> new NftMasq(exec);
        };
    }
}
