package dev.weft.cni.shim;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.weft.cni.json.JsonObject;
import dev.weft.cni.json.JsonReader;
import dev.weft.cni.skel.Skel;
import dev.weft.net.IpPrefix;

/** A scratch directory with subnet.env and a data dir, and a way to run the shim against a fake delegate. */
final class ShimFixture {
    static final String SUBNET_ENV = "FLANNEL_NETWORK=10.42.0.0/16\nFLANNEL_SUBNET=10.42.3.1/24\n"
            + "FLANNEL_MTU=1410\nFLANNEL_IPMASQ=true\n";

    final Path dir;
    final Path subnetEnv;
    final Path dataDir;
    final FakeDelegate delegate = new FakeDelegate();
    final FakeProbe probe = new FakeProbe();
    /** The probe the plugin gets; the fake unless a test swaps it. */
    PodInterfaceProbe probeInUse = probe;

    /** A probe that reports what the test says and records what it was asked. */
    static final class FakeProbe implements PodInterfaceProbe {
        String problem;
        Path askedNetns;
        String askedIf;
        List<IpPrefix> askedAddresses;

        @Override
        public Optional<String> problem(Path netns, String ifName, List<IpPrefix> expected) {
            askedNetns = netns;
            askedIf = ifName;
            askedAddresses = expected;
            return Optional.ofNullable(problem);
        }
    }

    record Out(int exit, String stdout, String stderr) {
        JsonObject json() throws Exception {
            return (JsonObject) JsonReader.parse(stdout);
        }

        Integer code() throws Exception {
            return json().optInt("code");
        }

        String msg() throws Exception {
            return json().optString("msg");
        }
    }

    ShimFixture(Path dir) {
        this.dir = dir;
        this.subnetEnv = dir.resolve("subnet.env");
        this.dataDir = dir.resolve("data");
        writeSubnetEnv(SUBNET_ENV);
    }

    void writeSubnetEnv(String text) {
        try {
            Files.writeString(subnetEnv, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String conf(String version) {
        return conf(version, "");
    }

    /** A weft configuration; {@code extra} is spliced in as more top-level members (",\"k\":v"). */
    String conf(String version, String extra) {
        return "{\"cniVersion\":\"" + version + "\",\"name\":\"weftnet\",\"type\":\"weft\",\"subnetFile\":\""
                + subnetEnv + "\",\"dataDir\":\"" + dataDir + "\",\"delegate\":{\"hairpinMode\":true,"
                + "\"isDefaultGateway\":true},\"ipam\":{\"dataDir\":\"" + dir.resolve("ipam") + "\"}" + extra + "}";
    }

    Path stateFile(String containerId, String ifName) {
        return dataDir.resolve("weftnet").resolve(containerId + "@" + ifName);
    }

    Out run(String command, String containerId, String conf) {
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", containerId);
        env.put("CNI_NETNS", "/var/run/netns/p1");
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", "/opt/cni/bin");
        return run(env, conf);
    }

    Out run(Map<String, String> env, String conf) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Skel.run(env, new ByteArrayInputStream(conf.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new WeftPlugin(delegate, probeInUse));
        return new Out(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
