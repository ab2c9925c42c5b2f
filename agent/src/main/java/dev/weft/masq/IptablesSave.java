package dev.weft.masq;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The parts of {@code iptables-save} output weft reads: per table, the declared chains and the rule lines. */
public final class IptablesSave {
    /** One table: chain names declared with {@code :NAME}, and every {@code -A} line in order. */
    public record Table(String name, Set<String> chains, List<String> rules) {
        public Table {
            chains = Set.copyOf(chains);
            rules = List.copyOf(rules);
        }

        static Table empty(String name) {
            return new Table(name, Set.of(), List.of());
        }

        /** The {@code -A <chain> ...} lines of one chain. */
        public List<String> rulesOf(String chain) {
            String p = "-A " + chain + " ";
            return rules.stream().filter(r -> r.startsWith(p)).toList();
        }

        /** Every rule, in any chain, that jumps or goes to {@code target}. */
        public List<String> jumpsTo(String target) {
            Pattern p = Pattern.compile("(^| )-[jg] " + Pattern.quote(target) + "( |$)");
            return rules.stream().filter(r -> p.matcher(r).find()).toList();
        }
    }

    private IptablesSave() {
    }

    /** Parses the whole output; tables that do not appear are absent from the map. */
    public static Map<String, Table> parse(String save) {
        Map<String, Table> out = new LinkedHashMap<>();
        String table = null;
        Set<String> chains = new LinkedHashSet<>();
        List<String> rules = new ArrayList<>();
        for (String raw : save.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("*")) {
                table = line.substring(1);
                chains = new LinkedHashSet<>();
                rules = new ArrayList<>();
            } else if (table != null && line.startsWith(":")) {
                int sp = line.indexOf(' ');
                chains.add(sp < 0 ? line.substring(1) : line.substring(1, sp));
            } else if (table != null && line.startsWith("-A ")) {
                rules.add(line);
            } else if (table != null && line.equals("COMMIT")) {
                out.put(table, new Table(table, chains, rules));
                table = null;
            }
        }
        return out;
    }

    /** The table, or an empty one when the save output does not have it (never created). */
    static Table table(Map<String, Table> tables, String name) {
        return tables.getOrDefault(name, Table.empty(name));
    }
}
