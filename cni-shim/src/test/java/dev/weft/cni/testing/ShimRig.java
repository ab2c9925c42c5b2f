package dev.weft.cni.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.weft.cni.json.JsonObject;
import dev.weft.cni.json.JsonReader;
import dev.weft.testing.Cmd;
import dev.weft.testing.TestNetns;

/**
 * One node for kernel tests: a namespace playing the node's root namespace, a subnet.env, the
 * installed weft launcher, and scratch data directories for the shim and host-local, so nothing
 * lands in /var/lib/cni. Configurations use flannel's usual delegate settings (hairpin mode and
 * the bridge as the pods' default gateway).
 */
public final class ShimRig {
    public static final String NETWORK = "10.42.0.0/16";
    public static final String SUBNET = "10.42.3.1/24";
    public static final int MTU = 1410;
    /** The IPv6 pod network and this node's IPv6 subnet, as flanneld writes them (ULA, inside the test's namespaces only). */
    public static final String NETWORK6 = "fd00:42::/56";
    public static final String SUBNET6 = "fd00:42:0:3::1/64";

    public final TestNetns host;
    public final Bundle.Installed installed;
    public final Path dir;
    public final Path subnetEnv;
    public final Path dataDir;
    public final Path ipamDir;
    public final String cniPath;

    public ShimRig(TestNetns host, Bundle.Installed installed, Path dir) {
        this.host = host;
        this.installed = installed;
        this.dir = dir;
        this.subnetEnv = dir.resolve("subnet.env");
        this.dataDir = dir.resolve("weft-data");
        this.ipamDir = dir.resolve("ipam");
        this.cniPath = installed.cniBinDir() + ":/usr/lib/cni";
        write(subnetEnv, "FLANNEL_NETWORK=" + NETWORK + "\nFLANNEL_SUBNET=" + SUBNET + "\nFLANNEL_MTU=" + MTU
                + "\nFLANNEL_IPMASQ=true\n");
    }

    /** Rewrites subnet.env for a dual-stack node: both families, in flanneld's key order. */
    public void dualStack() {
        write(subnetEnv, "FLANNEL_NETWORK=" + NETWORK + "\nFLANNEL_SUBNET=" + SUBNET + "\nFLANNEL_IPV6_NETWORK=" + NETWORK6
                + "\nFLANNEL_IPV6_SUBNET=" + SUBNET6 + "\nFLANNEL_MTU=" + MTU + "\nFLANNEL_IPMASQ=true\n");
    }

    /** Rewrites subnet.env for an IPv6-only node: no FLANNEL_NETWORK/FLANNEL_SUBNET at all. */
    public void ipv6Only() {
        write(subnetEnv, "FLANNEL_IPV6_NETWORK=" + NETWORK6 + "\nFLANNEL_IPV6_SUBNET=" + SUBNET6 + "\nFLANNEL_MTU=" + MTU
                + "\nFLANNEL_IPMASQ=true\n");
    }

    /** The weft plugin configuration (not a list), with {@code extra} members spliced in. */
    public String conf(String version, String extra) {
        return "{\"cniVersion\":\"" + version + "\",\"name\":\"weftnet\",\"type\":\"weft\"," + members() + extra + "}";
    }

    /** The weft-specific members, for building conflists too. */
    public String members() {
        return "\"subnetFile\":\"" + subnetEnv + "\",\"dataDir\":\"" + dataDir + "\","
                + "\"delegate\":{\"hairpinMode\":true,\"isDefaultGateway\":true},"
                + "\"ipam\":{\"dataDir\":\"" + ipamDir + "\"}";
    }

    /** Runs the installed launcher for one command. */
    public Cmd.Result weft(String command, String containerId, Path netns, String ifName, String conf) {
        return weft(CniExec.env(command, containerId, netns, ifName, cniPath), conf);
    }

    public Cmd.Result weft(Map<String, String> env, String conf) {
        return CniExec.run(host.name(), installed.launcher(), env, conf);
    }

    /** The shim's saved state for a container's eth0. */
    public Path stateFile(String containerId) {
        return dataDir.resolve("weftnet").resolve(containerId + "@eth0");
    }

    /** host-local's reservation for an address, by its file-per-IP layout. */
    public Path reservation(String address) {
        return ipamDir.resolve("weftnet").resolve(address);
    }

    public static JsonObject json(String s) {
        try {
            return (JsonObject) JsonReader.parse(s.strip());
        } catch (Exception e) {
            throw new IllegalStateException("not a JSON object: " + s, e);
        }
    }

    /** The sandbox address (no prefix length) of an ADD result. */
    public static String address(Cmd.Result add) {
        String cidr = ((JsonObject) json(add.stdout()).optArray("ips").get(0)).optString("address");
        return cidr.substring(0, cidr.indexOf('/'));
    }

    /** Every address (with prefix length) of an ADD result, in the result's order. */
    public static List<String> addresses(Cmd.Result add) {
        List<String> out = new ArrayList<>();
        for (var ip : json(add.stdout()).optArray("ips").items()) {
            out.add(((JsonObject) ip).optString("address"));
        }
        return out;
    }

    static void write(Path p, String s) {
        try {
            Files.writeString(p, s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
