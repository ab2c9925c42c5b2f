package dev.weft.app;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.weft.iface.IfaceRef;
import dev.weft.iface.InterfaceSpec;
import dev.weft.logging.LogFormat;
import dev.weft.logging.LogLevel;
import dev.weft.net.IpFamily;

/**
 * Turns {@code weft agent}'s flags and environment into an {@link AgentConfig}, or the first
 * problem found as a {@link ConfigException}. Also holds the parsers the other commands share.
 */
public final class AgentConfigParser {
    /** Shortest accepted {@code --resync-period}: shorter would turn the safety net into a busy loop. */
    public static final Duration MIN_RESYNC = Duration.ofMillis(100);
    /** Longest accepted {@code --resync-period}. */
    public static final Duration MAX_RESYNC = Duration.ofHours(24);

    private AgentConfigParser() {
    }

    /**
     * Parses every agent flag. Values are checked in three rounds, so the first error reported is
     * the most direct one: the syntax of every given value, then required values (node name),
     * then the files that must exist.
     */
    public static AgentConfig parse(FlagValues f) throws ConfigException {
        Optional<Setting> mgr = f.single(Flags.KUBE_SUBNET_MGR);
        if (mgr.isPresent() && !Values.bool(mgr.get())) {
            throw ConfigException.invalid(mgr.get(), "weft only supports the Kubernetes subnet manager; drop the flag or set it to true");
        }
        InterfaceSpec interfaces = interfaces(f);
        boolean ipMasq = bool(f, Flags.IP_MASQ);
        Optional<Setting> ip = f.single(Flags.HEALTHZ_IP);
        InetAddress healthzIp = ip.isPresent() ? Values.ip(ip.get()) : InetAddress.ofLiteral(Flags.DEFAULT_HEALTHZ_IP);
        Optional<Setting> port = f.single(Flags.HEALTHZ_PORT);
        int healthzPort = port.isPresent() ? Values.port(port.get()) : Flags.DEFAULT_HEALTHZ_PORT;
        String prefix = annotationPrefix(f);
        Optional<Setting> dev = f.single(Flags.DEVICE_NAME);
        Optional<String> deviceName = dev.isPresent() ? Optional.of(Values.ifaceName(dev.get())) : Optional.empty();
        Optional<Setting> resync = f.single(Flags.RESYNC_PERIOD);
        Duration resyncPeriod = resync.isPresent() ? Values.duration(resync.get(), MIN_RESYNC, MAX_RESYNC) : Duration.ofSeconds(60);
        boolean noCsum = bool(f, Flags.DISABLE_TX_CSUM);
        String leaseNamespace = leaseNamespace(f);
        LogFormat format = logFormat(f);
        LogLevel level = logLevel(f);
        String node = nodeName(f);
        return new AgentConfig(node, interfaces, subnetFile(f), netConfPath(f), ipMasq, healthzIp, healthzPort, prefix,
                kubeconfig(f), deviceName, resyncPeriod, noCsum, leaseNamespace, format, level);
    }

    /** {@code --node-name}, else {@code WEFT_NODE_NAME}, else {@code NODE_NAME} (the downward API); required. */
    public static String nodeName(FlagValues f) throws ConfigException {
        Optional<Setting> s = f.single(Flags.NODE_NAME, "NODE_NAME");
        if (s.isEmpty()) {
            throw new ConfigException("missing node name: pass --node-name or set NODE_NAME "
                    + "(in a DaemonSet: env NODE_NAME from fieldRef spec.nodeName)");
        }
        return Values.dnsSubdomain(s.get());
    }

    /** The four interface-selection flags. */
    public static InterfaceSpec interfaces(FlagValues f) throws ConfigException {
        List<IfaceRef> refs = new ArrayList<>();
        for (Setting s : f.list(Flags.IFACE)) {
            refs.add(Values.looksLikeIp(s.value())
                    ? new IfaceRef.Address(Values.ip(s))
                    : new IfaceRef.Name(Values.ifaceName(s)));
        }
        List<Pattern> regexes = new ArrayList<>();
        for (Setting s : f.list(Flags.IFACE_REGEX)) {
            regexes.add(Values.regex(s));
        }
        Optional<Setting> reach = f.single(Flags.IFACE_CAN_REACH);
        Optional<Setting> pub = f.single(Flags.PUBLIC_IP);
        Optional<Setting> pub6 = f.single(Flags.PUBLIC_IPV6);
        return new InterfaceSpec(refs, regexes,
                reach.isPresent() ? Optional.of(Values.ip(reach.get())) : Optional.empty(),
                pub.isPresent() ? Optional.of(Values.ip(pub.get(), IpFamily.V4)) : Optional.empty(),
                pub6.isPresent() ? Optional.of(Values.ip(pub6.get(), IpFamily.V6)) : Optional.empty(), IpFamily.V4);
    }

    /** {@code --subnet-file}: a file path, not a directory. */
    public static Path subnetFile(FlagValues f) throws ConfigException {
        return Values.writableFile(f.single(Flags.SUBNET_FILE).orElse(new Setting(Flags.SUBNET_FILE.name(), Flags.DEFAULT_SUBNET_FILE)));
    }

    /** {@code --net-config-path}: must be a readable file now, so a typo fails at startup, not at first use. */
    public static Path netConfPath(FlagValues f) throws ConfigException {
        return Values.readableFile(f.single(Flags.NET_CONFIG_PATH).orElse(new Setting(Flags.NET_CONFIG_PATH.name(), Flags.DEFAULT_NET_CONF)));
    }

    /** {@code --kubeconfig}: when given, a readable file. */
    public static Optional<Path> kubeconfig(FlagValues f) throws ConfigException {
        Optional<Setting> s = f.single(Flags.KUBECONFIG);
        return s.isPresent() ? Optional.of(Values.readableFile(s.get())) : Optional.empty();
    }

    /** {@code --annotation-prefix}: a DNS subdomain, as Kubernetes requires of annotation key prefixes. */
    public static String annotationPrefix(FlagValues f) throws ConfigException {
        Optional<Setting> s = f.single(Flags.ANNOTATION_PREFIX);
        return s.isPresent() ? Values.dnsSubdomain(s.get()) : Flags.DEFAULT_ANNOTATION_PREFIX;
    }

    /** {@code --lease-namespace}, else {@code POD_NAMESPACE} (the downward API), else kube-system. */
    public static String leaseNamespace(FlagValues f) throws ConfigException {
        Optional<Setting> s = f.single(Flags.LEASE_NAMESPACE, "POD_NAMESPACE");
        return s.isPresent() ? Values.dnsLabel(s.get()) : Flags.DEFAULT_LEASE_NAMESPACE;
    }

    /** {@code --log-format}. */
    public static LogFormat logFormat(FlagValues f) throws ConfigException {
        Optional<Setting> s = f.single(Flags.LOG_FORMAT);
        if (s.isEmpty()) {
            return LogFormat.TEXT;
        }
        return LogFormat.parse(s.get().value())
                .orElseThrow(() -> ConfigException.invalid(s.get(), "expected text or json"));
    }

    /** {@code --log-level}. */
    public static LogLevel logLevel(FlagValues f) throws ConfigException {
        Optional<Setting> s = f.single(Flags.LOG_LEVEL);
        if (s.isEmpty()) {
            return LogLevel.INFO;
        }
        return LogLevel.parse(s.get().value())
                .orElseThrow(() -> ConfigException.invalid(s.get(), "expected trace, debug, info, warn or error"));
    }

    /** A boolean switch, false when absent. */
    public static boolean bool(FlagValues f, FlagDef flag) throws ConfigException {
        Optional<Setting> s = f.single(flag);
        return s.isPresent() && Values.bool(s.get());
    }
}
