package dev.weft.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The agent's command line as a DaemonSet gives it: {@code command} is the launcher and
 * {@code args} is what the launcher hands to the CLI, starting with the subcommand
 * ({@code agent --net-config-path=... --ip-masq ...}). Feed {@link #of} to the agent's picocli
 * spec to prove every flag the manifests pass is one the agent accepts.
 */
final class AgentArgs {
    static final String CONTAINER = "agent";

    private AgentArgs() {}

    /** The one regular (not init) container named "agent". */
    static Container container(DaemonSet ds) {
        List<Container> found = ds.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> CONTAINER.equals(c.getName()))
                .toList();
        if (found.size() != 1) {
            throw new IllegalArgumentException("DaemonSet " + ds.getMetadata().getName() + " has "
                    + found.size() + " containers named " + CONTAINER + ", expected 1");
        }
        return found.getFirst();
    }

    static List<String> command(DaemonSet ds) {
        return nonNull(container(ds).getCommand());
    }

    /** The container's args, in order, exactly as the kubelet passes them. */
    static List<String> of(DaemonSet ds) {
        return nonNull(container(ds).getArgs());
    }

    /** Option names ({@code --ip-masq}, {@code --iface}, ...) in order, one per occurrence. */
    static List<String> flags(List<String> args) {
        List<String> out = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                out.add(eq < 0 ? arg : arg.substring(0, eq));
            }
        }
        return out;
    }

    /** Every value given as {@code --flag=value}, in order (repeatable flags give several). */
    static List<String> values(List<String> args, String flag) {
        String prefix = flag + "=";
        return args.stream().filter(a -> a.startsWith(prefix)).map(a -> a.substring(prefix.length())).toList();
    }

    /** The single value of {@code --flag=value}; empty when absent, an error when repeated. */
    static Optional<String> value(List<String> args, String flag) {
        List<String> all = values(args, flag);
        if (all.size() > 1) {
            throw new IllegalArgumentException(flag + " given " + all.size() + " times: " + all);
        }
        return all.stream().findFirst();
    }

    private static List<String> nonNull(List<String> list) {
        return list == null ? List.of() : List.copyOf(list);
    }
}
