package dev.weft.masq;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.weft.masq.IptablesRules.ChainSpec;
import dev.weft.masq.IptablesSave.Table;

/**
 * Pure planning for the iptables backends: from the current {@code iptables-save} state and the
 * desired chains, the {@code iptables-restore --noflush} input that repairs only what differs
 * (or nothing), and a list naming what it repairs. A chain whose rules differ is redeclared,
 * which under {@code --noflush} flushes just that chain, and refilled in the same transaction.
 */
public final class IptablesPlan {
    /** The restore input ({@code ""} when nothing needs writing) and what it repairs. */
    public record Plan(String script, List<String> changes) {
        public Plan {
            changes = List.copyOf(changes);
        }

        public boolean empty() {
            return script.isEmpty();
        }
    }

    private IptablesPlan() {
    }

    /** What to write so that {@code desired} holds, given {@code current}. */
    public static Plan ensure(Map<String, Table> current, List<ChainSpec> desired) {
        Map<String, List<String>> bodies = new LinkedHashMap<>();
        List<String> changes = new ArrayList<>();
        for (ChainSpec spec : desired) {
            Table t = IptablesSave.table(current, spec.table());
            List<String> body = bodies.computeIfAbsent(spec.table(), k -> new ArrayList<>());
            boolean exists = t.chains().contains(spec.chain());
            if (!exists || !t.rulesOf(spec.chain()).equals(spec.rules())) {
                body.add(":" + spec.chain() + " - [0:0]");
                body.addAll(spec.rules());
                changes.add(spec.table() + " " + spec.chain() + (exists ? " rules" : " chain"));
            }
            int exact = 0;
            for (String jump : t.jumpsTo(spec.chain())) {
                if (jump.equals(spec.jump()) && exact++ == 0) {
                    continue;
                }
                // A second copy of our jump, or a jump to our chain we did not write: remove it.
                body.add("-D" + jump.substring(2));
                changes.add(spec.table() + " " + spec.hook() + " extra jump removed");
            }
            if (exact == 0) {
                body.add(spec.jump());
                changes.add(spec.table() + " " + spec.hook() + " jump");
            }
        }
        return new Plan(render(bodies), changes);
    }

    /** What to write to remove weft's chains and every rule jumping to them. */
    public static Plan remove(Map<String, Table> current, List<ChainSpec> ours) {
        Map<String, List<String>> bodies = new LinkedHashMap<>();
        List<String> changes = new ArrayList<>();
        for (ChainSpec spec : ours) {
            Table t = IptablesSave.table(current, spec.table());
            List<String> body = bodies.computeIfAbsent(spec.table(), k -> new ArrayList<>());
            for (String jump : t.jumpsTo(spec.chain())) {
                body.add("-D" + jump.substring(2));
                changes.add(spec.table() + " " + jump.split(" ")[1] + " jump");
            }
            if (t.chains().contains(spec.chain())) {
                body.add(":" + spec.chain() + " - [0:0]");
                body.add("-X " + spec.chain());
                changes.add(spec.table() + " " + spec.chain() + " chain");
            }
        }
        return new Plan(render(bodies), changes);
    }

    /** Names the parts that {@link #ensure} would repair, without planning writes. */
    public static List<String> missing(Map<String, Table> current, List<ChainSpec> desired) {
        return ensure(current, desired).changes();
    }

    private static String render(Map<String, List<String>> bodies) {
        StringBuilder s = new StringBuilder();
        bodies.forEach((table, body) -> {
            if (!body.isEmpty()) {
                s.append('*').append(table).append('\n');
                body.forEach(l -> s.append(l).append('\n'));
                s.append("COMMIT\n");
            }
        });
        return s.toString();
    }
}
