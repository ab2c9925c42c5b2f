package dev.weft.masq;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * weft's rules as {@code table inet weft}. Checked by listing the table and comparing with the
 * rendering; when anything differs the table is replaced in one {@code nft -f} transaction
 * (the table is weft's alone, so replacing it whole is both atomic and simplest).
 */
final class NftMasq implements MasqBackend {
    private final Exec exec;

    NftMasq(Exec exec) {
        this.exec = exec;
    }

    @Override
    public Backend backend() {
        return Backend.NFTABLES;
    }

    @Override
    public EnsureResult ensure(MasqSpec spec) throws MasqueradeException {
        Optional<List<String>> current = list();
        if (current.isPresent() && current.get().equals(NftRules.render(spec))) {
            return new EnsureResult(List.of());
        }
        run(List.of("nft", "-f", "-"), NftRules.replaceScript(spec));
        return new EnsureResult(List.of(current.isEmpty()
                ? "table " + NftRules.FAMILY + " " + NftRules.TABLE + " created"
                : "table " + NftRules.FAMILY + " " + NftRules.TABLE + " rewritten"));
    }

    @Override
    public MasqCheck check(MasqSpec spec) throws MasqueradeException {
        Optional<List<String>> current = list();
        if (current.isEmpty()) {
            return new MasqCheck(Backend.NFTABLES, List.of("table " + NftRules.FAMILY + " " + NftRules.TABLE + " missing"));
        }
        List<String> want = NftRules.render(spec);
        List<String> missing = want.stream().filter(l -> !current.get().contains(l)).map(l -> "missing: " + l).toList();
        if (missing.isEmpty() && !current.get().equals(want)) {
            missing = List.of("table " + NftRules.FAMILY + " " + NftRules.TABLE + " has extra or reordered entries");
        }
        return new MasqCheck(Backend.NFTABLES, missing);
    }

    @Override
    public EnsureResult remove() throws MasqueradeException {
        if (list().isEmpty()) {
            return new EnsureResult(List.of());
        }
        run(List.of("nft", "delete", "table", NftRules.FAMILY, NftRules.TABLE), null);
        return new EnsureResult(List.of("table " + NftRules.FAMILY + " " + NftRules.TABLE));
    }

    /** The table's normalized listing, or empty when it does not exist. */
    Optional<List<String>> list() throws MasqueradeException {
        ExecResult r = call(List.of("nft", "list", "table", NftRules.FAMILY, NftRules.TABLE), null);
        if (!r.ok()) {
            // nft says "No such file or directory" for a missing table; anything else is a real failure.
            if (r.stderr().contains("No such file or directory")) {
                return Optional.empty();
            }
            throw new MasqueradeException(r.describe());
        }
        return Optional.of(NftRules.normalize(r.stdout()));
    }

    private void run(List<String> cmd, String stdin) throws MasqueradeException {
        ExecResult r = call(cmd, stdin);
        if (!r.ok()) {
            throw new MasqueradeException(r.describe());
        }
    }

    private ExecResult call(List<String> cmd, String stdin) throws MasqueradeException {
        try {
            return exec.run(cmd, stdin);
        } catch (IOException e) {
            throw new MasqueradeException("cannot run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
        }
    }
}
