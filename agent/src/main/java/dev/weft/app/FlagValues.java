package dev.weft.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The raw values of one command's flags after merging the command line with the environment:
 * an explicit flag beats its {@code WEFT_*} variable, which beats any legacy variable a caller
 * names ({@code NODE_NAME}). An environment variable set to the empty string counts as unset,
 * the way Kubernetes renders an optional {@code valueFrom} that resolved to nothing.
 */
public final class FlagValues {
    private final Map<String, List<String>> explicit;
    private final Map<String, String> env;

    /**
     * @param explicit flag name → values given on the command line (only flags that were given)
     * @param env      the process environment
     */
    public FlagValues(Map<String, List<String>> explicit, Map<String, String> env) {
        this.explicit = Map.copyOf(explicit);
        this.env = Map.copyOf(env);
    }

    /** The value of a single-valued flag, from the command line, else its env var, else the fallback env vars in order. */
    public Optional<Setting> single(FlagDef flag, String... fallbackEnv) {
        List<String> given = explicit.get(flag.name());
        if (given != null && !given.isEmpty()) {
            return Optional.of(new Setting(flag.name(), given.getLast()));
        }
        for (String name : prepend(flag.envName(), fallbackEnv)) {
            String v = env.get(name);
            if (v != null && !v.isEmpty()) {
                return Optional.of(new Setting(name, v));
            }
        }
        return Optional.empty();
    }

    /** Every value of a repeatable flag; from the environment, the comma-separated entries (blank ones dropped). */
    public List<Setting> list(FlagDef flag) {
        List<String> given = explicit.get(flag.name());
        List<Setting> out = new ArrayList<>();
        if (given != null && !given.isEmpty()) {
            given.forEach(v -> out.add(new Setting(flag.name(), v)));
            return out;
        }
        String v = env.get(flag.envName());
        if (v != null) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(new Setting(flag.envName(), part.strip()));
                }
            }
        }
        return out;
    }

    /** The raw environment, for values that are not flags. */
    public Map<String, String> env() {
        return env;
    }

    private static List<String> prepend(String first, String... rest) {
        List<String> all = new ArrayList<>(rest.length + 1);
        all.add(first);
        all.addAll(List.of(rest));
        return all;
    }
}
