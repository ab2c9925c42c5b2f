package dev.weft.cni.shim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.weft.cni.types.CniException;
import dev.weft.cni.types.ErrorCodes;
import dev.weft.cni.types.Names;
import dev.weft.net.IpPrefix;

/**
 * The node's subnet as the agent (or flanneld) wrote it to {@code subnet.env}:
 * {@code FLANNEL_NETWORK}, {@code FLANNEL_SUBNET}, {@code FLANNEL_MTU}, {@code FLANNEL_IPMASQ},
 * and {@code FLANNEL_IPV6_NETWORK}/{@code FLANNEL_IPV6_SUBNET} when IPv6 is on. Either family may
 * be absent, not both; MTU and IPMASQ are required. Unknown keys are ignored, as flannel does.
 *
 * @param network4 the cluster's IPv4 pod network, or null
 * @param subnet4  this node's IPv4 subnet as written (host bits set: {@code 10.42.3.1/24}), or null
 * @param network6 the cluster's IPv6 pod network, or null
 * @param subnet6  this node's IPv6 subnet, or null
 * @param mtu      the MTU pods get
 * @param ipMasq   true when the agent masquerades, so the bridge must not
 */
public record SubnetEnv(IpPrefix network4, IpPrefix subnet4, IpPrefix network6, IpPrefix subnet6, int mtu,
                        boolean ipMasq) {
    /** Where flannel and weft write it. */
    public static final String DEFAULT_PATH = "/run/flannel/subnet.env";
    /** Longest node subnets that leave room for the gateway and pods, as net-conf.json's SubnetLen allows. */
    static final int LONGEST_V4 = 30;
    static final int LONGEST_V6 = 126;

    /** Reads {@code path}: code 11 when it does not exist yet, 5 when unreadable, 7 when incomplete or invalid. */
    public static SubnetEnv read(Path path) throws CniException {
        String text;
        try {
            text = new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CniException(ErrorCodes.TRY_AGAIN_LATER, path + " does not exist yet: the weft agent writes it once"
                    + " this node's subnet and VXLAN device are ready; is the agent running on this node?");
        } catch (IOException e) {
            throw new CniException(ErrorCodes.IO_FAILURE, "cannot read " + path + ": " + e);
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new CniException(ErrorCodes.INVALID_NETWORK_CONFIG, path + ": " + e.getMessage());
        }
    }

    /** Parses the file's text; throws IllegalArgumentException naming the missing or bad key. */
    public static SubnetEnv parse(String text) {
        Map<String, String> kv = new HashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("line '" + Names.shorten(line) + "' is not KEY=VALUE");
            }
            kv.put(line.substring(0, eq).strip(), unquote(line.substring(eq + 1).strip()));
        }
        IpPrefix[] v4 = family(kv, "FLANNEL_NETWORK", "FLANNEL_SUBNET", true);
        IpPrefix[] v6 = family(kv, "FLANNEL_IPV6_NETWORK", "FLANNEL_IPV6_SUBNET", false);
        if (v4 == null && v6 == null) {
            throw new IllegalArgumentException("has neither FLANNEL_NETWORK/FLANNEL_SUBNET nor"
                    + " FLANNEL_IPV6_NETWORK/FLANNEL_IPV6_SUBNET (found: " + String.join(", ", kv.keySet()) + ")");
        }
        return new SubnetEnv(v4 == null ? null : v4[0], v4 == null ? null : v4[1],
                v6 == null ? null : v6[0], v6 == null ? null : v6[1], mtu(kv), ipMasq(kv));
    }

    private static IpPrefix[] family(Map<String, String> kv, String netKey, String subKey, boolean v4) {
        String net = kv.get(netKey);
        String sub = kv.get(subKey);
        if (net == null && sub == null) {
            return null;
        }
        if (net == null || sub == null) {
            throw new IllegalArgumentException("has " + (net == null ? subKey : netKey) + " but not "
                    + (net == null ? netKey : subKey) + " (incomplete)");
        }
        IpPrefix n = prefix(netKey, net, v4);
        IpPrefix s = prefix(subKey, sub, v4);
        if (!n.contains(s)) {
            throw new IllegalArgumentException(subKey + "=" + Names.shorten(sub) + " is not inside " + netKey + "="
                    + Names.shorten(net));
        }
        int longest = v4 ? LONGEST_V4 : LONGEST_V6;
        if (s.length() > longest) {
            throw new IllegalArgumentException(subKey + "=" + Names.shorten(sub) + " is too small for pods: the node's"
                    + " subnet must be a /" + longest + " or larger (the bridge takes the first address)");
        }
        return new IpPrefix[] {n, s};
    }

    private static IpPrefix prefix(String key, String value, boolean v4) {
        IpPrefix p;
        try {
            p = IpPrefix.parseCidr(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage());
        }
        if (p.isIpv4() != v4) {
            throw new IllegalArgumentException(key + "=" + Names.shorten(value) + " is not an IPv" + (v4 ? "4" : "6")
                    + " prefix");
        }
        return p;
    }

    private static int mtu(Map<String, String> kv) {
        String s = kv.get("FLANNEL_MTU");
        if (s == null) {
            throw new IllegalArgumentException("FLANNEL_MTU is missing");
        }
        int mtu = s.isEmpty() || s.length() > 5 ? -1 : 0;
        for (int i = 0; i < s.length() && mtu >= 0; i++) {
            char c = s.charAt(i);
            mtu = c >= '0' && c <= '9' ? mtu * 10 + (c - '0') : -1;
        }
        if (mtu < 68 || mtu > 65535) {
            throw new IllegalArgumentException("FLANNEL_MTU=" + Names.shorten(s) + " is not an MTU (68..65535)");
        }
        return mtu;
    }

    /** The spellings Go's strconv.ParseBool accepts, since flanneld's files are read with it. */
    private static boolean ipMasq(Map<String, String> kv) {
        String s = kv.get("FLANNEL_IPMASQ");
        if (s == null) {
            throw new IllegalArgumentException("FLANNEL_IPMASQ is missing");
        }
        switch (s) {
            case "1", "t", "T", "true", "TRUE", "True" -> {
                return true;
            }
            case "0", "f", "F", "false", "FALSE", "False" -> {
                return false;
            }
            default -> throw new IllegalArgumentException("FLANNEL_IPMASQ=" + Names.shorten(s) + " is not true or false");
        }
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }
}
