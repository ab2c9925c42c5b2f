package dev.weft.app;

import java.nio.file.Path;
import java.util.Optional;

import dev.weft.doctor.DoctorRequest;
import dev.weft.status.StatusRequest;

/**
 * Builds the requests of {@code status}, {@code doctor} and {@code cleanup} from their flags.
 * Unlike the agent, these accept paths that do not exist: reporting a missing file is their job.
 */
public final class RequestParser {
    private RequestParser() {
    }

    /** {@code weft status}: the node name is required. */
    public static StatusRequest status(FlagValues f) throws ConfigException {
        return new StatusRequest(AgentConfigParser.nodeName(f), AgentConfigParser.kubeconfig(f),
                AgentConfigParser.annotationPrefix(f), path(f, Flags.SUBNET_FILE, Flags.DEFAULT_SUBNET_FILE),
                path(f, Flags.NET_CONFIG_PATH, Flags.DEFAULT_NET_CONF), deviceName(f));
    }

    /** {@code weft doctor}: everything optional, the node name too. */
    public static DoctorRequest doctor(FlagValues f) throws ConfigException {
        Optional<Setting> node = f.single(Flags.NODE_NAME, "NODE_NAME");
        return new DoctorRequest(AgentConfigParser.interfaces(f),
                node.isPresent() ? Optional.of(Values.dnsSubdomain(node.get())) : Optional.empty(),
                AgentConfigParser.kubeconfig(f), AgentConfigParser.annotationPrefix(f),
                path(f, Flags.SUBNET_FILE, Flags.DEFAULT_SUBNET_FILE), path(f, Flags.NET_CONFIG_PATH, Flags.DEFAULT_NET_CONF),
                deviceName(f), AgentConfigParser.bool(f, Flags.IP_MASQ),
                path(f, Flags.CNI_CONF_DIR, Flags.DEFAULT_CNI_CONF_DIR));
    }

    /** {@code weft cleanup}. */
    public static CleanupRequest cleanup(FlagValues f) throws ConfigException {
        return new CleanupRequest(Values.writableFile(f.single(Flags.SUBNET_FILE)
                .orElse(new Setting(Flags.SUBNET_FILE.name(), Flags.DEFAULT_SUBNET_FILE))),
                path(f, Flags.NET_CONFIG_PATH, Flags.DEFAULT_NET_CONF), deviceName(f));
    }

    /** {@code --output table|json} of {@code weft status}; true for json. */
    public static boolean jsonOutput(FlagValues f) throws ConfigException {
        Optional<Setting> s = f.single(Flags.OUTPUT);
        if (s.isEmpty()) {
            return false;
        }
        return switch (s.get().value().strip()) {
            case "table" -> false;
            case "json" -> true;
            default -> throw ConfigException.invalid(s.get(), "expected table or json");
        };
    }

    private static Optional<String> deviceName(FlagValues f) throws ConfigException {
        Optional<Setting> s = f.single(Flags.DEVICE_NAME);
        return s.isPresent() ? Optional.of(Values.ifaceName(s.get())) : Optional.empty();
    }

    private static Path path(FlagValues f, FlagDef flag, String dflt) throws ConfigException {
        return Values.path(f.single(flag).orElse(new Setting(flag.name(), dflt)));
    }
}
