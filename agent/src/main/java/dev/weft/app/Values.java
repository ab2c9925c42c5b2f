package dev.weft.app;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.weft.net.IpFamily;

/**
 * Validators for raw flag values. Each returns the typed value or throws a
 * {@link ConfigException} that names the flag or environment variable, the value and the rule.
 */
public final class Values {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private Values() {
    }

    /** A TCP port, 0 to 65535. */
    public static int port(Setting s) throws ConfigException {
        try {
            int p = Integer.parseInt(s.value().strip());
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // falls through to the common message
        }
        throw ConfigException.invalid(s, "expected a port number 0-65535");
    }

    /** An IP address literal: dotted-quad IPv4 or IPv6. Host names are refused: no DNS at startup. */
    public static InetAddress ip(Setting s) throws ConfigException {
        String v = s.value().strip();
        boolean v4ish = !v.contains(":");
        if (v.isEmpty() || (v4ish && !IPV4.matcher(v).matches())) {
            throw ConfigException.invalid(s, "expected an IP address such as 198.18.0.5 or fd00::5");
        }
        try {
            return InetAddress.ofLiteral(v);
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalid(s, "expected an IP address such as 198.18.0.5 or fd00::5");
        }
    }

    /** An IP address literal of {@code family}: {@code --public-ip} takes IPv4, {@code --public-ipv6} IPv6. */
    public static InetAddress ip(Setting s, IpFamily family) throws ConfigException {
        InetAddress a = ip(s);
        if (IpFamily.of(a) != family) {
            throw ConfigException.invalid(s, "expected an " + family.label() + " address, such as "
                    + (family == IpFamily.V4 ? "198.18.0.5" : "fd00::5"));
        }
        return a;
    }

    /** True when {@code v} looks like an address rather than an interface name. */
    public static boolean looksLikeIp(String v) {
        return v.contains(":") || IPV4.matcher(v.strip()).matches();
    }

    /** {@code true|false|1|0|yes|no}, any case. */
    public static boolean bool(Setting s) throws ConfigException {
        return switch (s.value().strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw ConfigException.invalid(s, "expected true or false");
        };
    }

    /** A Go-style duration within {@code [min, max]}. */
    public static Duration duration(Setting s, Duration min, Duration max) throws ConfigException {
        Duration d;
        try {
            d = Durations.parse(s.value());
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalid(s, e.getMessage());
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw ConfigException.invalid(s, "must be between " + Durations.format(min) + " and " + Durations.format(max));
        }
        return d;
    }

    /** A Linux interface name: 1 to 15 bytes, no slash, colon or whitespace, not {@code .} or {@code ..}. */
    public static String ifaceName(Setting s) throws ConfigException {
        String v = s.value();
        if (v.isEmpty() || v.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 15
                || v.equals(".") || v.equals("..") || !v.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '/' && c != ':')) {
            throw ConfigException.invalid(s, "expected an interface name: 1-15 characters, no '/', ':' or spaces");
        }
        return v;
    }

    /** A DNS-1123 subdomain (Node names, annotation prefixes): lower-case, at most 253 characters. */
    public static String dnsSubdomain(Setting s) throws ConfigException {
        String v = s.value();
        if (v.length() > 253 || !DNS_SUBDOMAIN.matcher(v).matches()) {
            throw ConfigException.invalid(s, "expected a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', at most 253 characters");
        }
        return v;
    }

    /** A DNS-1123 label (namespace names): lower-case, at most 63 characters. */
    public static String dnsLabel(Setting s) throws ConfigException {
        String v = s.value();
        if (v.length() > 63 || !DNS_LABEL.matcher(v).matches()) {
            throw ConfigException.invalid(s, "expected a DNS-1123 label: lower-case letters, digits and '-', at most 63 characters");
        }
        return v;
    }

    /** A Java regular expression. */
    public static Pattern regex(Setting s) throws ConfigException {
        if (s.value().isEmpty()) {
            throw ConfigException.invalid(s, "empty regular expression");
        }
        try {
            return Pattern.compile(s.value());
        } catch (PatternSyntaxException e) {
            throw ConfigException.invalid(s, "not a regular expression: " + e.getDescription() + " near index " + e.getIndex());
        }
    }

    /** An existing, readable regular file. */
    public static Path readableFile(Setting s) throws ConfigException {
        Path p = path(s);
        if (!Files.exists(p)) {
            throw ConfigException.invalid(s, "no such file");
        }
        if (!Files.isRegularFile(p)) {
            throw ConfigException.invalid(s, "not a regular file");
        }
        if (!Files.isReadable(p)) {
            throw ConfigException.invalid(s, "not readable by this process");
        }
        return p;
    }

    /** A file weft will write: any path that is not an existing directory. */
    public static Path writableFile(Setting s) throws ConfigException {
        Path p = path(s);
        if (Files.isDirectory(p)) {
            throw ConfigException.invalid(s, "is a directory; expected a file path");
        }
        return p;
    }

    /** An existing directory. */
    public static Path directory(Setting s) throws ConfigException {
        Path p = path(s);
        if (!Files.isDirectory(p)) {
            throw ConfigException.invalid(s, "no such directory");
        }
        return p;
    }

    /**
     * Any non-empty, syntactically valid path, made absolute and normalised against the working
     * directory once here, so everything downstream (subnet.env writes refuse relative paths) sees
     * the file the user meant.
     */
    public static Path path(Setting s) throws ConfigException {
        if (s.value().isBlank()) {
            throw ConfigException.invalid(s, "empty path");
        }
        try {
            return Path.of(s.value()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw ConfigException.invalid(s, "not a valid path: " + e.getReason());
        }
    }
}
